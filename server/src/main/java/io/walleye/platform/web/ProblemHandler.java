package io.walleye.platform.web;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.transaction.TransactionException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.walleye.platform.ApiException;
import io.walleye.platform.DatabaseFault;
import io.walleye.platform.FieldError;
import io.walleye.platform.Problems;

/**
 * The one place errors become responses: every failure, from malformed JSON to an unexpected bug, leaves as an RFC
 * 9457 problem with a stable {@code type} and {@code code}. A 500 says nothing about its cause but its request id.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

	private final JsonNames names;

	ProblemHandler(JsonNames names) {
		this.names = names;
	}

	@ExceptionHandler(ApiException.class)
	ResponseEntity<ProblemDetail> apiException(ApiException exception) {
		ProblemDetail problem = Problems.of(exception.status(), exception.code(), exception.title(),
				exception.getMessage());
		exception.properties().forEach(problem::setProperty);
		return ResponseEntity.status(exception.status()).headers(exception.headers()).body(problem);
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException exception) {
		String message = "has an invalid value";
		for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof InstantParameterConverter.OutOfRange outOfRange) {
				message = String.valueOf(outOfRange.getMessage());
			}
		}
		if (message.equals("has an invalid value") && exception.getRequiredType() == java.time.Instant.class) {
			message = "must be an ISO-8601 instant with Z or an offset, e.g. 2026-01-31T12:00:00Z";
		}
		return validationFailed(List.of(FieldError.of(names.of(exception.getName()), message)));
	}

	/** A header read lazily past {@link RequestTextFilter}, refused by the firewall inside a handler. */
	@ExceptionHandler(RequestRejectedException.class)
	ResponseEntity<ProblemDetail> requestRejected(RequestRejectedException exception) {
		ProblemDetail problem = HttpEdgeConfiguration.rejected(exception);
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

	@ExceptionHandler({ AccessDeniedException.class, AuthorizationDeniedException.class })
	ResponseEntity<ProblemDetail> accessDenied(RuntimeException exception) {
		return ResponseEntity.status(HttpStatus.FORBIDDEN)
			.body(Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
					"Your credentials do not allow this operation"));
	}

	/**
	 * A database failure: an outage (no connection, a statement or lock past its timeout) is a 503 with Retry-After,
	 * classified once by {@link DatabaseFault}; anything else is a bug, a 500.
	 */
	@ExceptionHandler({ DataAccessException.class, TransactionException.class })
	ResponseEntity<ProblemDetail> databaseFailure(RuntimeException exception) {
		DatabaseFault fault = DatabaseFault.of(exception);
		if (fault == null || !fault.isOutage()) {
			return unexpected(exception);
		}
		log.warn("Answering 503 for a database {} (SQLState {}, {})", fault, DatabaseFault.sqlState(exception),
				exception.getClass().getSimpleName());
		return apiException(fault.problem());
	}

	@ExceptionHandler(DataIntegrityViolationException.class)
	ResponseEntity<ProblemDetail> constraintViolated(DataIntegrityViolationException exception) {
		log.warn("Constraint violated: {}", exception.getMostSpecificCause().getMessage());
		return ResponseEntity.status(HttpStatus.CONFLICT)
			.body(Problems.of(HttpStatus.CONFLICT, "constraint_violation", "Conflict",
					"The request conflicts with data already stored"));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception exception) {
		RequestSizeFilter.ContentTooLargeException tooLarge = RequestSizeFilter.ContentTooLargeException.in(exception);
		if (tooLarge != null) {
			return contentTooLarge(tooLarge);
		}
		log.error("Unexpected error", exception);
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Internal server error",
					"Something went wrong on our side; quote the request_id when reporting it"));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		RequestSizeFilter.ContentTooLargeException tooLarge = RequestSizeFilter.ContentTooLargeException.in(exception);
		if (tooLarge != null) {
			return body(contentTooLarge(tooLarge));
		}
		Throwable cause = exception.getMostSpecificCause();
		if (cause instanceof StreamConstraintsException limit) {
			return body(jsonLimit(limit));
		}
		if (cause instanceof InvalidFormatException nul && nul.getValue() instanceof String text
				&& text.indexOf('\u0000') >= 0) {
			return body(validationFailed(List.of(FieldError.of(path(nul), NulRefusingStringDeserializer.MESSAGE))));
		}
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return body(validationFailed(List.of(FieldError.of(path(unknown), "is not a known field"))));
		}
		if (cause instanceof InvalidFormatException invalid) {
			return body(validationFailed(List.of(FieldError.of(path(invalid), "has an invalid value"))));
		}
		if (cause instanceof MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
			return body(validationFailed(List.of(FieldError.of(path(mismatched), "has the wrong type"))));
		}
		if (cause instanceof StreamReadException || cause instanceof JacksonException) {
			return body(ResponseEntity.badRequest()
				.body(Problems.of(HttpStatus.BAD_REQUEST, "malformed_json", "Malformed JSON",
						"The request body is not valid JSON")));
		}
		return body(ResponseEntity.badRequest()
			.body(Problems.of(HttpStatus.BAD_REQUEST, "malformed_body", "Bad request",
					"The request body is missing or cannot be read")));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = new ArrayList<>();
		exception.getBindingResult()
			.getFieldErrors()
			.forEach(error -> errors.add(FieldError.of(names.ofPath(error.getField()),
					error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage())));
		exception.getBindingResult()
			.getGlobalErrors()
			.forEach(error -> errors.add(FieldError.of(error.getObjectName(),
					error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage())));
		return body(validationFailed(errors));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException exception, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		List<FieldError> errors = new ArrayList<>();
		for (ParameterValidationResult result : exception.getParameterValidationResults()) {
			String name = result.getMethodParameter().getParameterName();
			result.getResolvableErrors()
				.forEach(error -> errors.add(FieldError.of(name == null ? "parameter" : names.of(name),
						error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage())));
		}
		return body(validationFailed(errors));
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception exception, @Nullable Object body,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = body instanceof ProblemDetail detail ? detail
				: ProblemDetail.forStatus(status);
		String code = Problems.defaultCode(status);
		ProblemDetail enriched = Problems.of(status, code, Problems.defaultTitle(status), problem.getDetail());
		if (problem.getProperties() != null) {
			problem.getProperties().forEach(enriched::setProperty);
		}
		if (status.is5xxServerError()) {
			log.error("Request failed", exception);
			enriched.setDetail("Something went wrong on our side; quote the request_id when reporting it");
		}
		return new ResponseEntity<>(enriched, headers, status);
	}

	private static ResponseEntity<ProblemDetail> contentTooLarge(RequestSizeFilter.ContentTooLargeException exception) {
		return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
			.header(HttpHeaders.CONNECTION, "close")
			.body(RequestSizeFilter.problem(exception.maxBytes));
	}

	/**
	 * Jackson's stream limits say which limit was passed only in their message; the path, when there is one, is the
	 * object that holds the offending value (the parser fails before the field's own deserializer runs).
	 */
	private static ResponseEntity<ProblemDetail> jsonLimit(StreamConstraintsException exception) {
		StreamReadConstraints limits = StreamReadConstraints.defaults();
		String message = String.valueOf(exception.getOriginalMessage());
		String where = path(exception);
		if (message.startsWith("Number value length")) {
			return validationFailed(List.of(FieldError.of(where,
					"holds a number longer than the " + limits.getMaxNumberLength() + " digits allowed")));
		}
		if (message.startsWith("String value length")) {
			return validationFailed(List.of(FieldError.of(where,
					"holds a text longer than the " + limits.getMaxStringLength() + " characters allowed")));
		}
		if (message.startsWith("Document nesting depth")) {
			return ResponseEntity.badRequest()
				.body(Problems.of(HttpStatus.BAD_REQUEST, "json_too_deep", "JSON nested too deeply",
						"The request body is nested more than " + limits.getMaxNestingDepth()
								+ " levels deep (arrays and objects inside each other)"));
		}
		return ResponseEntity.badRequest()
			.body(Problems.of(HttpStatus.BAD_REQUEST, "json_too_large", "JSON too large",
					message.startsWith("Name length")
							? "A property name is longer than the " + limits.getMaxNameLength() + " characters allowed"
							: "The request body passes a size limit of the JSON parser"));
	}

	static ResponseEntity<ProblemDetail> validationFailed(List<FieldError> errors) {
		ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed",
				"The request has invalid fields; see errors");
		problem.setProperty("errors", errors);
		return ResponseEntity.badRequest().body(problem);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static ResponseEntity<Object> body(ResponseEntity<ProblemDetail> response) {
		return (ResponseEntity) response;
	}

	private static String path(JacksonException exception) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : exception.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? "body" : path.toString();
	}
}
