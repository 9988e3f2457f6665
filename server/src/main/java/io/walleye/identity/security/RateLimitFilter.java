package io.walleye.identity.security;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import io.walleye.identity.Principal;
import io.walleye.platform.ApiException;
import io.walleye.platform.Problems;
import io.walleye.platform.ratelimit.RateLimitProperties;
import io.walleye.platform.ratelimit.RateLimits;

/**
 * Holds each API key and access token to the quota of its principal type, and the endpoints that need no credential
 * (sign-in, registration) to a quota per client address, so registering cannot mint keys without end. Runs after
 * authentication: a request with a bad credential is refused before it costs a token. The metrics scrape token and
 * the anonymous reads (health, API docs) are not limited.
 */
class RateLimitFilter extends OncePerRequestFilter {

	private final RateLimits limits;

	private final RateLimitProperties properties;

	private final List<RequestMatcher> perAddress;

	private final ProblemResponses problems;

	RateLimitFilter(RateLimits limits, RateLimitProperties properties, List<RequestMatcher> perAddress,
			ProblemResponses problems) {
		this.limits = limits;
		this.properties = properties;
		this.perAddress = perAddress;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		RateLimits.Decision decision = decide(request);
		if (decision != null) {
			decision.headers(response::setHeader);
			if (!decision.allowed()) {
				ApiException refusal = decision.refusal();
				var problem = Problems.of(refusal.status(), refusal.code(), refusal.title(), refusal.getMessage());
				refusal.properties().forEach(problem::setProperty);
				problems.write(response, problem);
				return;
			}
		}
		chain.doFilter(request, response);
	}

	private RateLimits.@org.jspecify.annotations.Nullable Decision decide(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof Principal principal) {
			String type = principal.type().dbValue();
			return limits.tryConsume(principal.credentialId().toString(), type, properties.forKeyOf(type));
		}
		if (authentication == null && perAddress.stream().anyMatch(matcher -> matcher.matches(request))) {
			return limits.tryConsume(clientAddress(request), "address", properties.perAddress());
		}
		return null;
	}

	/**
	 * The peer's address as the connector sees it: behind a proxy that is the proxy, unless the server is told to trust
	 * it ({@code server.forward-headers-strategy=native} and {@code server.tomcat.remoteip.internal-proxies}), in which
	 * case Tomcat has already put the client's address from {@code X-Forwarded-For} here. An IPv6 client counts by its
	 * /64, the block one subscriber gets, so rotating addresses inside it gains nothing.
	 */
	static String clientAddress(HttpServletRequest request) {
		String address = request.getRemoteAddr();
		if (address.indexOf(':') < 0) {
			return address;
		}
		try {
			InetAddress parsed = InetAddress.getByName(address);
			if (parsed instanceof Inet6Address) {
				byte[] bytes = parsed.getAddress();
				StringBuilder prefix = new StringBuilder();
				for (int i = 0; i < 8; i += 2) {
					prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
				}
				return prefix.append(":/64").toString();
			}
			return parsed.getHostAddress();
		}
		catch (UnknownHostException notAnAddress) {
			return address;
		}
	}
}
