package io.walleye.platform.web;

import java.util.List;
import java.util.Locale;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.format.FormatterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.walleye.platform.FieldError;
import io.walleye.platform.Problems;

/**
 * The HTTP edge, configured once for every endpoint: what Tomcat and the firewall accept, how their refusals are
 * answered (problem+json), how instants and text in requests are read, and which representations exist.
 */
@Configuration(proxyBeanMethods = false)
class HttpEdgeConfiguration implements WebMvcConfigurer {

	private static final Logger log = LoggerFactory.getLogger(HttpEdgeConfiguration.class);

	/**
	 * Tomcat accepts {@code %2F} instead of refusing it with HTML: the servlet path is decoded (and then held to the
	 * firewall's normalisation), while routes match the raw URI, where {@code owner%2Fname} stays one segment of
	 * {@code /repositories/{fullName}}. Tomcat's own error pages become problem+json. Runs after Boot's customizer,
	 * whose HTML error valve it replaces.
	 */
	@Bean
	ProblemJsonTomcat problemJsonTomcat() {
		return new ProblemJsonTomcat();
	}

	static final class ProblemJsonTomcat
			implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

		@Override
		public void customize(ConfigurableTomcatWebServerFactory factory) {
			factory.addConnectorCustomizers(
					connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.DECODE.getValue()));
			factory.addContextCustomizers(context -> {
				Container host = context.getParent();
				if (host instanceof StandardHost standardHost) {
					for (Valve valve : standardHost.getPipeline().getValves()) {
						if (valve instanceof ErrorReportValve) {
							standardHost.getPipeline().removeValve(valve);
						}
					}
					standardHost.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
				}
			});
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}
	}

	/** Spring Security's strict firewall, letting through the encoded slash the repository route documents. */
	@Bean
	HttpFirewall httpFirewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowUrlEncodedSlash(true);
		return firewall;
	}

	@Bean
	RequestRejectedHandler problemJsonRequestRejectedHandler(ProblemWriter problems) {
		return (request, response, exception) -> {
			log.debug("Request rejected by the firewall: {}", exception.getMessage());
			problems.write(response, rejected(exception));
		};
	}

	/** The firewall's refusal, naming what was refused without echoing it (its message quotes the request). */
	static ProblemDetail rejected(RequestRejectedException exception) {
		String reason = String.valueOf(exception.getMessage()).toLowerCase(Locale.ROOT);
		if (reason.contains("header")) {
			return RequestTextFilter.invalidHeader("header");
		}
		if (reason.contains("parameter")) {
			ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid_parameter", "Invalid parameter",
					"A parameter name or value carries characters that are not allowed; see errors");
			problem.setProperty("errors", List.of(FieldError.of("parameter", "must not contain control characters")));
			return problem;
		}
		ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid_path", "Invalid path",
				"The request path is not allowed; see errors");
		problem.setProperty("errors", List.of(FieldError.of("path",
				"must be normalised: no //, /./ or /../, no ; and no encoded ., %, \\ or control characters")));
		return problem;
	}

	/**
	 * JSON answers carry a {@code Content-Length} instead of being chunked ({@link SizedJsonConverter}). Ordered after
	 * Boot's customizer, whose Jackson converter (built on the same mapper) it replaces.
	 */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	ServerHttpMessageConvertersCustomizer sizedJsonAnswers(JsonMapper mapper) {
		return builder -> builder.withJsonConverter(new SizedJsonConverter(mapper));
	}

	@Bean
	JacksonModule nulRefusingText() {
		return new SimpleModule("walleye-text").addDeserializer(String.class, new NulRefusingStringDeserializer());
	}

	@Override
	public void addFormatters(FormatterRegistry registry) {
		registry.addConverter(new InstantParameterConverter());
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new FormatParameterInterceptor()).addPathPatterns("/api/**");
	}
}
