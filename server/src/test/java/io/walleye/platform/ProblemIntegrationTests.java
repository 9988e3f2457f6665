package io.walleye.platform;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

@WalleyeIntegrationTest
class ProblemIntegrationTests {

	@Autowired
	TestApi api;

	private static JsonNode assertProblem(Response response, int status, String code) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode body = response.json();
		assertThat(body.get("status").asInt()).isEqualTo(status);
		assertThat(body.get("code").asString()).isEqualTo(code);
		assertThat(body.get("type").asString()).isEqualTo(Problems.TYPE_BASE + code.replace('_', '-'));
		assertThat(body.get("title").asString()).isNotBlank();
		assertThat(body.get("request_id").asString()).isEqualTo(response.header("X-Request-Id").orElseThrow());
		return body;
	}

	@Test
	void malformedJsonIs400() {
		assertProblem(api.post("/api/v1/auth/login", "{\"username\": ").send(), 400, "malformed_json");
	}

	@Test
	void unknownFieldIs400WithTheFieldNamed() {
		JsonNode body = assertProblem(
				api.post("/api/v1/auth/login", Map.of("username", "a", "password", "b", "colour", "red")).send(), 400,
				"validation_failed");
		assertThat(body.get("errors").get(0).get("field").asString()).isEqualTo("colour");
	}

	@Test
	void mistypedFieldIs400WithTheFieldNamed() {
		JsonNode body = assertProblem(api.post("/api/v1/auth/login", "{\"username\": {}, \"password\": \"x\"}").send(),
				400, "validation_failed");
		assertThat(body.get("errors").get(0).get("field").asString()).isEqualTo("username");
	}

	@Test
	void missingFieldIs400WithTheFieldNamed() {
		JsonNode body = assertProblem(api.post("/api/v1/auth/login", Map.of("username", "admin")).send(), 400,
				"validation_failed");
		assertThat(body.get("errors").get(0).get("field").asString()).isEqualTo("password");
	}

	@Test
	void missingCredentialsIs401() {
		Response response = api.get("/api/v1/auth/me").send();
		assertProblem(response, 401, "unauthorized");
		assertThat(response.header("WWW-Authenticate")).contains("Bearer");
	}

	@Test
	void operatorOnlyEndpointIs403ForOthers() {
		// The actuator beyond health and metrics is for operators; an application key may not use it.
		String key = api.post("/api/v1/test-keys/application").asAdmin().send().json().get("key").asString();
		assertProblem(api.get("/actuator/metrics").bearer(key).send(), 403, "forbidden");
	}

	@Test
	void unknownPathIs404() {
		assertProblem(api.get("/api/v1/nothing-here").asAdmin().send(), 404, "not_found");
	}

	@Test
	void wrongMethodIs405() {
		Response response = api.get("/api/v1/auth/login").send();
		assertProblem(response, 405, "method_not_allowed");
		assertThat(response.header("Allow")).contains("POST");
	}

	@Test
	void unacceptableMediaTypeIs406() {
		assertProblem(api.get("/api/v1/auth/me").asAdmin().header("Accept", "image/png").send(), 406,
				"not_acceptable");
	}

	@Test
	void tooLargeBodyIs413() {
		String big = "{\"username\":\"" + "x".repeat(5 * 1024 * 1024) + "\",\"password\":\"x\"}";
		assertProblem(api.post("/api/v1/auth/login", big).send(), 413, "content_too_large");
	}

	@Test
	void wrongContentTypeIs415() {
		assertProblem(api.post("/api/v1/auth/login", "username=admin").header("Content-Type", "text/plain").send(),
				415, "unsupported_media_type");
	}

	@Test
	void conflictIs409() {
		assertProblem(api.get("/api/v1/test-problems/conflict").asAdmin().send(), 409, "duplicate_thing");
	}

	@Test
	void businessRuleIs422() {
		assertProblem(api.get("/api/v1/test-problems/unprocessable").asAdmin().send(), 422, "rule_broken");
	}

	@Test
	void lackOfFundsIs402() {
		assertProblem(api.get("/api/v1/test-problems/payment").asAdmin().send(), 402, "insufficient_funds");
	}

	@Test
	void overloadIs429WithRetryAfter() {
		Response response = api.get("/api/v1/test-problems/busy").asAdmin().send();
		assertProblem(response, 429, "backlog_full");
		assertThat(response.header("Retry-After")).contains("3");
	}

	@Test
	void exhaustedConnectionPoolIs503WithRetryAfter() {
		Response response = api.get("/api/v1/test-problems/pool-exhausted").asAdmin().send();
		assertProblem(response, 503, "database_unavailable");
		assertThat(response.header("Retry-After")).contains("5");
	}

	@Test
	void bugIs500WithoutItsMessage() {
		Response response = api.get("/api/v1/test-problems/bug").asAdmin().send();
		assertProblem(response, 500, "internal_error");
		assertThat(response.body()).doesNotContain("hunter2").doesNotContain("IllegalStateException");
	}

	@Test
	void requestIdIsTakenFromTheRequest() {
		Response response = api.get("/api/v1/nothing").header("X-Request-Id", "abc-123").send();
		assertThat(response.header("X-Request-Id")).contains("abc-123");
		assertThat(response.json().get("request_id").asString()).isEqualTo("abc-123");
	}
}
