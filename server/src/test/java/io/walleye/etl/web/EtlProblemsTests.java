package io.walleye.etl.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import io.walleye.etl.DatabaseFailure;
import io.walleye.etl.DatabaseFailure.Kind;

class EtlProblemsTests {

	final EtlProblems problems = new EtlProblems();

	ResponseEntity<ProblemDetail> answer(Kind kind) {
		return problems.databaseFailure(new DatabaseFailure(kind, "etl.count", 3,
				new SQLException("FATAL: password authentication failed for user \"walleye\" password=hunter2", "28P01")));
	}

	@Test
	void transientFailuresAre503WithRetryAfterAndACode() {
		ResponseEntity<ProblemDetail> unavailable = answer(Kind.CANNOT_CONNECT);
		assertThat(unavailable.getStatusCode().value()).isEqualTo(503);
		assertThat(unavailable.getHeaders().getFirst("Retry-After")).isEqualTo("5");
		assertThat(unavailable.getBody().getProperties()).containsEntry("code", "database_unavailable");
		assertThat(answer(Kind.TIMED_OUT).getBody().getProperties()).containsEntry("code", "database_timeout");
		assertThat(answer(Kind.SERIALIZATION).getStatusCode().value()).isEqualTo(503);
	}

	@Test
	void otherFailuresAre500AndConstraintsA409NeverShowingTheDriversMessage() {
		ResponseEntity<ProblemDetail> other = answer(Kind.OTHER);
		assertThat(other.getStatusCode().value()).isEqualTo(500);
		assertThat(other.getBody().getProperties()).containsEntry("code", "database_error");
		assertThat(answer(Kind.CONSTRAINT).getStatusCode().value()).isEqualTo(409);
		for (Kind kind : Kind.values()) {
			assertThat(String.valueOf(answer(kind).getBody())).doesNotContain("hunter2").doesNotContain("walleye\"");
		}
	}
}
