package io.walleye.platform;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A request that cannot be served as asked, carried to the one problem+json handler: its status, a stable short
 * {@code code} (which also names the problem {@code type}), a human title and detail, and extra members.
 */
public class ApiException extends RuntimeException {

	/** What a 503 suggests: long enough for a pool to refill or a database to restart, short for a client. */
	public static final int RETRY_AFTER_SECONDS = 5;

	private final HttpStatus status;

	private final String code;

	private final String title;

	private final Map<String, Object> properties = new LinkedHashMap<>();

	private final HttpHeaders headers = new HttpHeaders();

	public ApiException(HttpStatus status, String code, String title, @Nullable String detail) {
		super(detail == null ? title : detail, null, false, false);
		this.status = status;
		this.code = code;
		this.title = title;
	}

	public static ApiException badRequest(String code, String detail) {
		return new ApiException(HttpStatus.BAD_REQUEST, code, "Bad request", detail);
	}

	public static ApiException notFound(String code, String detail) {
		return new ApiException(HttpStatus.NOT_FOUND, code, "Not found", detail);
	}

	public static ApiException conflict(String code, String detail) {
		return new ApiException(HttpStatus.CONFLICT, code, "Conflict", detail);
	}

	public static ApiException unprocessable(String code, String detail) {
		return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, code, "Unprocessable content", detail);
	}

	public static ApiException forbidden(String code, String detail) {
		return new ApiException(HttpStatus.FORBIDDEN, code, "Forbidden", detail);
	}

	public static ApiException paymentRequired(String code, String detail) {
		return new ApiException(HttpStatus.PAYMENT_REQUIRED, code, "Payment required", detail);
	}

	public static ApiException tooManyRequests(String code, String detail, long retryAfterSeconds) {
		ApiException exception = new ApiException(HttpStatus.TOO_MANY_REQUESTS, code, "Too many requests", detail);
		exception.headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfterSeconds)));
		return exception;
	}

	/** The request could not be served now but may be shortly: a 503 with {@code Retry-After}. */
	public static ApiException serviceUnavailable(String code, String detail) {
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, code, "Service unavailable", detail)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
	}

	public static ApiException payloadTooLarge(String code, String detail) {
		return new ApiException(HttpStatus.CONTENT_TOO_LARGE, code, "Content too large", detail);
	}

	/** The detail, or the title when there is none: never null, unlike Throwable's. */
	@Override
	public String getMessage() {
		String message = super.getMessage();
		return message == null ? title : message;
	}

	/** Adds a member to the problem body, e.g. {@code operation_id}. */
	public ApiException with(String name, Object value) {
		properties.put(name, value);
		return this;
	}

	public ApiException header(String name, String value) {
		headers.set(name, value);
		return this;
	}

	public HttpStatus status() {
		return status;
	}

	public String code() {
		return code;
	}

	public String title() {
		return title;
	}

	public Map<String, Object> properties() {
		return properties;
	}

	public HttpHeaders headers() {
		return headers;
	}
}
