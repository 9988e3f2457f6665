package io.walleye.console.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import io.walleye.identity.Identity;

/**
 * Ends the console session of an operator who has been disabled since signing in, on its next request: a session is
 * a credential like an access token, and a disabled operator's credentials stop at once. One primary-key look-up per
 * signed-in console request.
 */
final class DisabledOperatorFilter extends OncePerRequestFilter {

	private final Identity identity;

	DisabledOperatorFilter(Identity identity) {
		this.identity = identity;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof OperatorAuthentication signedIn
				&& !identity.operatorEnabled(signedIn.getPrincipal().id())) {
			HttpSession session = request.getSession(false);
			if (session != null) {
				session.invalidate();
			}
			SecurityContextHolder.clearContext();
		}
		chain.doFilter(request, response);
	}
}
