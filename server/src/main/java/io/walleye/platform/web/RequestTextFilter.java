package io.walleye.platform.web;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.walleye.platform.FieldError;
import io.walleye.platform.Problems;

/**
 * Checks the text of every header and parameter before anything reads it. Header values are held to the firewall's
 * rule (no control characters; Tomcat reads header bytes as ISO-8859-1, so UTF-8 text with bytes 0x80-0x9F breaks
 * it), but here the answer names the header instead of surfacing wherever a header is first read. Parameters may not
 * carry NUL, which PostgreSQL text cannot hold.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class RequestTextFilter extends OncePerRequestFilter {

	/** The pattern of Spring Security's StrictHttpFirewall for header names and values. */
	private static final Pattern ALLOWED_HEADER_TEXT = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

	private final ProblemWriter problems;

	RequestTextFilter(ProblemWriter problems) {
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		for (String name : Collections.list(request.getHeaderNames())) {
			if (!ALLOWED_HEADER_TEXT.matcher(name).matches() || Collections.list(request.getHeaders(name))
				.stream()
				.anyMatch(value -> !ALLOWED_HEADER_TEXT.matcher(value).matches())) {
				problems.write(response, invalidHeader(ALLOWED_HEADER_TEXT.matcher(name).matches() ? name : "header"));
				return;
			}
		}
		for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
			if (parameter.getKey().indexOf('\u0000') >= 0 || List.of(parameter.getValue())
				.stream()
				.anyMatch(value -> value.indexOf('\u0000') >= 0)) {
				String field = parameter.getKey().indexOf('\u0000') >= 0 ? "parameter" : parameter.getKey();
				ProblemDetail problem = ProblemHandler
					.validationFailed(List.of(FieldError.of(field, NulRefusingStringDeserializer.MESSAGE)))
					.getBody();
				problems.write(response, java.util.Objects.requireNonNull(problem));
				return;
			}
		}
		chain.doFilter(request, response);
	}

	static ProblemDetail invalidHeader(String name) {
		ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid_header", "Invalid header",
				"A header carries characters that are not allowed; see errors");
		problem.setProperty("errors", List.of(FieldError.of(name,
				"must not contain control characters; send non-ASCII text percent-encoded or as ASCII")));
		return problem;
	}
}
