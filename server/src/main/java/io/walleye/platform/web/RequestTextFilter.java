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

import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.walleye.platform.FieldError;
import io.walleye.platform.Problems;

/**
 * Checks the text of every header and parameter before anything reads it. Header values are held to the firewall's
 * rule (no control characters; Tomcat reads header bytes as ISO-8859-1, so UTF-8 text with bytes 0x80-0x9F breaks
 * it), but here the answer names the header instead of surfacing wherever a header is first read. Parameters may not
 * carry NUL, which PostgreSQL text cannot hold. Media types are checked here too ({@link #mediaTypeProblem}).
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
		ProblemDetail mediaTypes = mediaTypeProblem(request);
		if (mediaTypes != null) {
			problems.write(response, mediaTypes);
			return;
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

	/**
	 * An {@code Accept} or {@code Content-Type} the server cannot work with, refused before anything runs: an
	 * {@code Accept} that does not parse (past this point not even a problem could be negotiated, and Spring MVC
	 * answers an empty 406), a wildcard {@code Content-Type} (which no body reader takes, so it surfaced as a 500),
	 * and a state-changing API request whose {@code Accept} rules out JSON — Spring MVC negotiates after the handler
	 * ran, so the change was made and then answered 406.
	 */
	private static @Nullable ProblemDetail mediaTypeProblem(HttpServletRequest request) {
		List<String> acceptHeaders = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
		List<MediaType> accept;
		try {
			accept = MediaType.parseMediaTypes(acceptHeaders);
		}
		catch (IllegalArgumentException notMediaTypes) {
			return invalidHeader(HttpHeaders.ACCEPT, "must be a list of media types, e.g. application/json or */*");
		}
		String contentType = request.getContentType();
		if (contentType != null && !contentType.isBlank()) {
			try {
				MediaType type = MediaType.parseMediaType(contentType);
				if (type.isWildcardType() || type.isWildcardSubtype()) {
					return unsupported("Content-Type must name one media type, e.g. application/json, not " + type);
				}
			}
			catch (IllegalArgumentException notAMediaType) {
				return unsupported("Content-Type is not a media type");
			}
		}
		boolean changes = !List.of("GET", "HEAD", "OPTIONS").contains(request.getMethod());
		if (changes && !accept.isEmpty() && request.getRequestURI().startsWith("/api/") && accept.stream()
			.filter(type -> type.getQualityValue() > 0)
			.noneMatch(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON)
					|| type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))) {
			return Problems.of(HttpStatus.NOT_ACCEPTABLE, Problems.defaultCode(HttpStatus.NOT_ACCEPTABLE),
					Problems.defaultTitle(HttpStatus.NOT_ACCEPTABLE),
					"This operation answers application/json; Accept rules it out, so nothing was done");
		}
		return null;
	}

	private static ProblemDetail unsupported(String detail) {
		return Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, Problems.defaultCode(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
				Problems.defaultTitle(HttpStatus.UNSUPPORTED_MEDIA_TYPE), detail);
	}

	static ProblemDetail invalidHeader(String name) {
		return invalidHeader(name, "must not contain control characters; send non-ASCII text percent-encoded or as ASCII");
	}

	private static ProblemDetail invalidHeader(String name, String message) {
		ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid_header", "Invalid header",
				"A header carries a value that is not allowed; see errors");
		problem.setProperty("errors", List.of(FieldError.of(name, message)));
		return problem;
	}
}
