package io.walleye.etl.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.walleye.etl.DatabaseFailure;
import io.walleye.platform.Problems;

/**
 * Database failures of the ETL's endpoints as problem+json: transient ones (cannot connect, timed out, lost a race)
 * are a 503 with Retry-After, a constraint a 409, the rest a 500; each with a {@code code} naming the kind and never
 * the driver's message. Ordered before the platform's handler and scoped to this module's controllers.
 */
@RestControllerAdvice(basePackages = "io.walleye.etl")
@Order(Ordered.HIGHEST_PRECEDENCE)
class EtlProblems {

	private static final Logger log = LoggerFactory.getLogger(EtlProblems.class);

	@ExceptionHandler(DatabaseFailure.class)
	ResponseEntity<ProblemDetail> databaseFailure(DatabaseFailure failure) {
		// EtlDatabase logged the cause with its context already; this line ties it to the request id.
		log.warn("Answering {} for a database failure: {}", failure.kind(), failure.getMessage());
		return switch (failure.kind()) {
			case CANNOT_CONNECT -> unavailable("database_unavailable", "The database cannot be reached; try again shortly");
			case TIMED_OUT -> unavailable("database_timeout", "The database did not answer in time; try again shortly");
			case SERIALIZATION -> unavailable("database_busy", "The database was busy with a conflicting change; try again");
			case CONSTRAINT -> ResponseEntity.status(HttpStatus.CONFLICT)
				.body(Problems.of(HttpStatus.CONFLICT, "constraint_violation", "Conflict",
						"The request conflicts with data already stored"));
			case OTHER -> ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
				.body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "database_error", "Internal server error",
						"Something went wrong on our side; quote the request_id when reporting it"));
		};
	}

	private static ResponseEntity<ProblemDetail> unavailable(String code, String detail) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "5")
			.body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, code, "Service unavailable", detail));
	}
}
