package io.walleye.identity.security;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import io.walleye.identity.Identity;
import io.walleye.identity.Principal;

/**
 * Authenticates {@code Authorization: Bearer <key-or-token>}. A request without the header goes on anonymously (public
 * endpoints); one with a header that does not verify is refused at once with 401. On {@code /actuator/prometheus}
 * alone, the metrics scrape token is accepted too, as the role {@code METRICS}.
 */
class BearerTokenFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);

	private static final String BEARER = "Bearer ";

	static final String METRICS_AUTHORITY = "ROLE_METRICS";

	private final Identity identity;

	private final ProblemResponses problems;

	private final MetricsToken metricsToken;

	private final RequestMatcher metricsEndpoint;

	BearerTokenFilter(Identity identity, ProblemResponses problems, MetricsToken metricsToken,
			RequestMatcher metricsEndpoint) {
		this.identity = identity;
		this.problems = problems;
		this.metricsToken = metricsToken;
		this.metricsEndpoint = metricsEndpoint;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null) {
			chain.doFilter(request, response);
			return;
		}
		boolean bearer = header.regionMatches(true, 0, BEARER, 0, BEARER.length());
		String secret = bearer ? header.substring(BEARER.length()).trim() : "";
		if (bearer && metricsEndpoint.matches(request) && metricsToken.matches(secret)) {
			proceedAs(UsernamePasswordAuthenticationToken.authenticated("metrics", null,
					List.of(new SimpleGrantedAuthority(METRICS_AUTHORITY))), request, response, chain);
			return;
		}
		Optional<Principal> principal;
		try {
			principal = bearer ? identity.authenticate(secret) : Optional.empty();
		}
		catch (DataAccessException exception) {
			// A cache miss under overload can find the pool exhausted; that is a 503, not a 500.
			log.warn("Cannot authenticate: {}", exception.getMostSpecificCause().getClass().getSimpleName());
			problems.databaseUnavailable(response);
			return;
		}
		if (principal.isEmpty()) {
			problems.unauthorized(response, "The bearer token is unknown, expired or revoked");
			return;
		}
		proceedAs(UsernamePasswordAuthenticationToken.authenticated(principal.get(), null,
				List.of(new SimpleGrantedAuthority(principal.get().type().authority()))), request, response, chain);
	}

	private static void proceedAs(Authentication authentication, HttpServletRequest request,
			HttpServletResponse response, FilterChain chain) throws ServletException, IOException {
		var context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(authentication);
		SecurityContextHolder.setContext(context);
		try {
			chain.doFilter(request, response);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}
}
