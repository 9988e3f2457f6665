package io.walleye.eye.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.walleye.eye.BrowserKeys;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Problems;
import io.walleye.platform.Role;
import io.walleye.platform.web.ProblemWriter;

/**
 * CORS for the browser intake, and for nothing else: the response names the page's origin only when a live
 * publishable key allows it. A preflight carries no body, hence no key, so it is answered for an origin some live key
 * allows; the request itself is then checked against its own key's origins ({@link BrowserEventController}). The
 * tracker sends {@code text/plain}, which needs no preflight at all; {@code application/json} senders get one.
 */
@Component
@ConditionalOnRole(Role.API)
class BrowserCors extends OncePerRequestFilter {

	/** How long a browser may reuse a preflight's answer; Chromium caps it at 2 hours anyway. */
	private static final String MAX_AGE = "600";

	private final BrowserKeys keys;

	private final ProblemWriter problems;

	BrowserCors(BrowserKeys keys, ProblemWriter problems) {
		this.keys = keys;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !BrowserEventController.PATH.equals(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		String allowed = origin != null && keys.anyKeyAllows(origin) ? origin : null;
		// Whether the answer carries CORS headers depends on Origin: caches must keep one answer per origin.
		response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
		boolean preflight = HttpMethod.OPTIONS.matches(request.getMethod())
				&& request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
		if (preflight) {
			if (allowed == null) {
				problems.write(response, originNotAllowed());
				return;
			}
			allow(response, allowed);
			response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "POST");
			response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, HttpHeaders.CONTENT_TYPE);
			response.setHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
			response.setStatus(HttpStatus.NO_CONTENT.value());
			return;
		}
		if (allowed != null) {
			allow(response, allowed);
			// so that the tracker can read how long to wait after a 429 or 503
			response.setHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, HttpHeaders.RETRY_AFTER);
		}
		chain.doFilter(request, response);
	}

	private static void allow(HttpServletResponse response, String origin) {
		response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
	}

	static org.springframework.http.ProblemDetail originNotAllowed() {
		return Problems.of(HttpStatus.FORBIDDEN, "origin_not_allowed", "Forbidden",
				"This page's origin is not among the publishable key's allowed origins");
	}
}
