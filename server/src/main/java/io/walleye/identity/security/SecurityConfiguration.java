package io.walleye.identity.security;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import io.walleye.identity.Identity;
import io.walleye.platform.PublicEndpoint;
import io.walleye.platform.ratelimit.RateLimitProperties;
import io.walleye.platform.ratelimit.RateLimits;

/**
 * Security of the HTTP API: stateless bearer authentication, the public endpoints the modules declare, operators only
 * for the actuator beyond health, and operators or the scrape token ({@link MetricsToken}) for Prometheus. Per-endpoint rules sit on the controllers ({@code @PreAuthorize}).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

	private static final String PROMETHEUS = "/actuator/prometheus";

	@Bean
	PasswordEncoder passwordEncoder() {
		return new BCryptPasswordEncoder(10);
	}

	/**
	 * Spring Security observes nothing of its own: no observation and long-task timer around each filter of the chain,
	 * each authentication and each authorization decision. With this bean it does not wrap them at all; turning the
	 * observations off by property only made each wrapper ask, per request, whether to observe (docs/performance.md).
	 * The request's own {@code http.server.requests} observation stays.
	 */
	@Bean
	SecurityObservationSettings noSecurityObservations() {
		return SecurityObservationSettings.noObservations();
	}

	/** Absent in a command-line mode (no web server, see {@code platform.CommandLineMode}). */
	@Bean
	@Order(1)
	@ConditionalOnWebApplication
	SecurityFilterChain apiSecurity(HttpSecurity http, Identity identity, ProblemResponses problems,
			MetricsToken metricsToken, List<PublicEndpoint> publicEndpoints, RateLimits rateLimits,
			RateLimitProperties rateLimitProperties) throws Exception {
		RequestMatcher prometheus = PathPatternRequestMatcher.withDefaults().matcher(PROMETHEUS);
		BearerTokenFilter bearer = new BearerTokenFilter(identity, problems, metricsToken, prometheus);
		http.securityMatcher("/api/**", "/actuator/**", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
			.csrf(csrf -> csrf.disable())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.formLogin(form -> form.disable())
			.httpBasic(basic -> basic.disable())
			.logout(logout -> logout.disable())
			.addFilterBefore(bearer, AnonymousAuthenticationFilter.class)
			.addFilterAfter(new RateLimitFilter(rateLimits, rateLimitProperties, perAddress(publicEndpoints), problems),
					BearerTokenFilter.class)
			.exceptionHandling(errors -> errors
				.authenticationEntryPoint((request, response, ex) -> problems.unauthorized(response,
						"Authenticate with Authorization: Bearer <api key or access token>"))
				.accessDeniedHandler((request, response, ex) -> problems.forbidden(response)))
			.authorizeHttpRequests(requests -> {
				requests.requestMatchers("/api/v1/auth/login").permitAll();
				for (PublicEndpoint endpoint : publicEndpoints) {
					if (endpoint.method() == null) {
						requests.requestMatchers(endpoint.pattern()).permitAll();
					}
					else {
						requests.requestMatchers(endpoint.method(), endpoint.pattern()).permitAll();
					}
				}
				requests
					.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
					.permitAll()
					.requestMatchers(prometheus)
					.hasAnyRole("OPERATOR", "METRICS")
					.requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
					.permitAll()
					.requestMatchers("/actuator/**")
					.hasRole("OPERATOR")
					.anyRequest()
					.authenticated();
			});
		return http.build();
	}

	/** Sign-in and the modules' public endpoints: what anyone may call, so what is limited per client address. */
	private static List<RequestMatcher> perAddress(List<PublicEndpoint> publicEndpoints) {
		List<RequestMatcher> matchers = new java.util.ArrayList<>();
		matchers.add(PathPatternRequestMatcher.withDefaults().matcher("/api/v1/auth/login"));
		for (PublicEndpoint endpoint : publicEndpoints) {
			matchers.add(PathPatternRequestMatcher.withDefaults().matcher(endpoint.method(), endpoint.pattern()));
		}
		return matchers;
	}
}
