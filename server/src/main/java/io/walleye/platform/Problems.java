package io.walleye.platform;

import java.net.URI;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the RFC 9457 bodies every error of Walleye uses: a stable {@code type} per {@code code}, plus request id. */
public final class Problems {

	public static final String TYPE_BASE = "https://walleye.io/problems/";

	public static final String REQUEST_ID_MDC_KEY = "request_id";

	private Problems() {
	}

	public static URI type(String code) {
		return URI.create(TYPE_BASE + code.replace('_', '-'));
	}

	public static ProblemDetail of(HttpStatusCode status, String code, String title, @Nullable String detail) {
		ProblemDetail problem = ProblemDetail.forStatus(status);
		problem.setType(type(code));
		problem.setTitle(title);
		problem.setDetail(detail);
		problem.setProperty("code", code);
		String requestId = MDC.get(REQUEST_ID_MDC_KEY);
		if (requestId != null) {
			problem.setProperty("request_id", requestId);
		}
		return problem;
	}

	/** The database cannot be reached or no pooled connection came free in time: try again shortly (503). */
	public static ProblemDetail databaseUnavailable() {
		return of(HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable", "Service unavailable",
				"The database cannot be reached; try again shortly");
	}

	/** The code used for a status when nothing more specific is known. */
	public static String defaultCode(HttpStatusCode status) {
		return switch (status.value()) {
			case 400 -> "bad_request";
			case 401 -> "unauthorized";
			case 403 -> "forbidden";
			case 404 -> "not_found";
			case 405 -> "method_not_allowed";
			case 406 -> "not_acceptable";
			case 409 -> "conflict";
			case 413 -> "content_too_large";
			case 415 -> "unsupported_media_type";
			case 422 -> "unprocessable";
			case 429 -> "too_many_requests";
			case 503 -> "service_unavailable";
			default -> status.is5xxServerError() ? "internal_error" : "http_" + status.value();
		};
	}

	public static String defaultTitle(HttpStatusCode status) {
		String code = defaultCode(status).replace('_', ' ');
		return code.substring(0, 1).toUpperCase(Locale.ROOT) + code.substring(1);
	}
}
