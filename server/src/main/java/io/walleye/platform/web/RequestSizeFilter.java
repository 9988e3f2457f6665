package io.walleye.platform.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

import io.walleye.platform.Problems;

/** Refuses a request whose declared body exceeds {@code walleye.http.max-request-size} with 413, before reading it. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestSizeFilter extends OncePerRequestFilter {

	private final long maxBytes;

	private final ProblemWriter problems;

	RequestSizeFilter(@Value("${walleye.http.max-request-size:4MB}") DataSize maxSize, ProblemWriter problems) {
		this.maxBytes = maxSize.toBytes();
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > maxBytes) {
			var problem = Problems.of(HttpStatus.CONTENT_TOO_LARGE, "content_too_large", "Content too large",
					"The request body may not exceed " + maxBytes + " bytes");
			problems.write(response, problem);
			return;
		}
		chain.doFilter(request, response);
	}
}
