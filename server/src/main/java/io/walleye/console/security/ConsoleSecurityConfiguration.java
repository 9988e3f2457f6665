package io.walleye.console.security;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import io.walleye.console.security.OperatorAuthenticationProvider.OperatorLockedException;
import io.walleye.identity.Identity;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/**
 * Security of the console: a session cookie after signing in with an operator's username and password, CSRF tokens
 * on every change (htmx sends them as a header), and a content security policy that allows only our own scripts.
 * Ordered after the API's stateless chain, which keeps {@code /api/**} to itself.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.CONSOLE)
class ConsoleSecurityConfiguration {

	static final String LOGIN = "/console/login";

	private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
			+ "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
			+ "form-action 'self'; base-uri 'self'; object-src 'none'";

	/**
	 * Without a session, pages go to the sign-in form; the overview's script gets a 401 and htmx gets a 401 with
	 * {@code HX-Redirect}, which htmx follows, so a partial update never swaps the sign-in form into a page.
	 */
	private static AuthenticationEntryPoint entryPoint() {
		RequestMatcher scripts = PathPatternRequestMatcher.withDefaults().matcher("/console/api/**");
		RequestMatcher htmx = new RequestHeaderRequestMatcher("HX-Request", "true");
		AuthenticationEntryPoint signIn = new LoginUrlAuthenticationEntryPoint(LOGIN);
		return (request, response, exception) -> {
			if (scripts.matches(request)) {
				response.setStatus(HttpStatus.UNAUTHORIZED.value());
			}
			else if (htmx.matches(request)) {
				response.setHeader("HX-Redirect", request.getContextPath() + LOGIN);
				response.setStatus(HttpStatus.UNAUTHORIZED.value());
			}
			else {
				signIn.commence(request, response, exception);
			}
		};
	}

	@Bean
	@Order(2)
	SecurityFilterChain consoleSecurity(HttpSecurity http, Identity identity) throws Exception {
		// Its own manager without a parent: nothing but the operator accounts can sign in here.
		ProviderManager operators = new ProviderManager(new OperatorAuthenticationProvider(identity));
		http.securityMatcher("/console", "/console/**", "/webjars/**")
			.authenticationManager(operators)
			.authorizeHttpRequests(requests -> requests.requestMatchers(LOGIN, "/console/assets/**", "/webjars/**")
				.permitAll()
				.anyRequest()
				.hasRole("OPERATOR"))
			.formLogin(form -> form.loginPage(LOGIN)
				.loginProcessingUrl(LOGIN)
				.defaultSuccessUrl("/console", false)
				.failureHandler((request, response, exception) -> {
					String target = LOGIN + "?error=credentials";
					if (exception instanceof OperatorLockedException locked && locked.lockedUntil() != null) {
						target = LOGIN + "?error=locked&until="
								+ URLEncoder.encode(locked.lockedUntil().toString(), StandardCharsets.UTF_8);
					}
					response.sendRedirect(request.getContextPath() + target);
				}))
			.logout(logout -> logout.logoutUrl("/console/logout")
				.logoutSuccessUrl(LOGIN + "?signed-out")
				.deleteCookies("JSESSIONID"))
			.addFilterAfter(new DisabledOperatorFilter(identity), SecurityContextHolderFilter.class)
			.exceptionHandling(errors -> errors.authenticationEntryPoint(entryPoint()))
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
		return http.build();
	}
}
