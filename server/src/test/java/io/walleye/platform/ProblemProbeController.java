package io.walleye.platform;

import java.sql.SQLTransientConnectionException;

import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Test-only endpoints that fail on purpose, to check how the one error handler renders each kind of failure. */
@RestController
@RequestMapping("/api/v1/test-problems")
class ProblemProbeController {

	@GetMapping("/{kind}")
	String fail(@PathVariable String kind) {
		throw switch (kind) {
			case "conflict" -> ApiException.conflict("duplicate_thing", "That thing exists already");
			case "unprocessable" -> ApiException.unprocessable("rule_broken", "That breaks a rule");
			case "payment" -> ApiException.paymentRequired("insufficient_funds", "Not enough money");
			case "busy" -> ApiException.tooManyRequests("backlog_full", "Try later", 3);
			case "pool-exhausted" -> new CannotCreateTransactionException("Could not open JDBC Connection",
					new SQLTransientConnectionException("walleye - Connection is not available, request timed out"));
			case "bug" -> new IllegalStateException("secret internal detail: password=hunter2");
			default -> ApiException.notFound("no_such_probe", "No probe " + kind);
		};
	}
}
