package io.walleye.identity.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import io.walleye.platform.Problems;
import io.walleye.platform.web.ProblemWriter;

/** Writes problem+json from filters, where the MVC exception handling does not reach. */
@Component
class ProblemResponses {

	private final ProblemWriter writer;

	ProblemResponses(ProblemWriter writer) {
		this.writer = writer;
	}

	void unauthorized(HttpServletResponse response, String detail) throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail));
	}

	void forbidden(HttpServletResponse response) throws IOException {
		write(response, Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
				"Your credentials do not allow this operation"));
	}

	/** Authentication needed the database and could not get it: the same 503 the API answers. */
	void databaseUnavailable(HttpServletResponse response) throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, "5");
		write(response, Problems.databaseUnavailable());
	}

	void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
		writer.write(response, problem);
	}
}
