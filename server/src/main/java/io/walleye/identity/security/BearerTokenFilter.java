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
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import io.walleye.identity.Identity;
import io.walleye.identity.Principal;

/**
 * Authenticates {@code Authorization: Bearer <key-or-token>}. A request without the header goes on anonymously (public
 * endpoints); one with a header that does not verify is refused at once with 401.
 */
class BearerTokenFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);

	private static final String BEARER = "Bearer ";

	private final Identity identity;

	private final ProblemResponses problems;

	BearerTokenFilter(Identity identity, ProblemResponses problems) {
		this.identity = identity;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null) {
			chain.doFilter(request, response);
			return;
		}
		Optional<Principal> principal;
		try {
			principal = header.regionMatches(true, 0, BEARER, 0, BEARER.length())
					? identity.authenticate(header.substring(BEARER.length()).trim()) : Optional.empty();
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
		var authentication = UsernamePasswordAuthenticationToken.authenticated(principal.get(), null,
				List.of(new SimpleGrantedAuthority(principal.get().type().authority())));
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
