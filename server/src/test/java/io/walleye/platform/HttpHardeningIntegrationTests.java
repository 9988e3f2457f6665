package io.walleye.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reaches the server from outside before any module sees it: instants, header bytes, odd paths, oversized and
 * deeply nested bodies, NUL characters and representations the server cannot produce. Every answer is a problem+json
 * 4xx, never a 500 or a container's HTML page.
 */
@WalleyeIntegrationTest
class HttpHardeningIntegrationTests {

	private static final String FAR_FUTURE = "%2B999999999-12-31T23:59:59Z";

	private static final String FAR_PAST = "-999999999-01-01T00:00:00Z";

	@Autowired
	TestApi api;

	private static JsonNode assertProblem(Response response, int status, String code) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
		JsonNode body = response.json();
		assertThat(body.get("code").asString()).as(response.toString()).isEqualTo(code);
		return body;
	}

	private static void assertFieldError(Response response, String field, String messageFragment) {
		JsonNode body = assertProblem(response, 400, "validation_failed");
		assertThat(body.get("errors").get(0).get("field").asString()).as(response.toString()).isEqualTo(field);
		assertThat(body.get("errors").get(0).get("message").asString()).as(response.toString())
			.contains(messageFragment);
	}

	private String customerKey() {
		Response response = api
			.post("/api/v1/customers", Map.of("name", "edge test", "email", UUID.randomUUID() + "@example.test"))
			.send();
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return response.json().get("api_key").asString();
	}

	private String wallet(String key) {
		Response response = api.post("/api/v1/wallets", Map.of("currency", "EUR")).bearer(key).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return response.json().get("token").asString();
	}

	// --- instants outside the range the database can keep -------------------------------------------------------

	@Test
	void instantsOutsideTheStoredRangeAreRefusedOnEveryWalletQuery() {
		String key = customerKey();
		String wallet = wallet(key);
		String base = "/api/v1/wallets/" + wallet;
		assertFieldError(api.get(base + "/operations?to=" + FAR_FUTURE).bearer(key).send(), "to", "0001-01-01");
		assertFieldError(api.get(base + "/operations?from=" + FAR_PAST).bearer(key).send(), "from", "9999-12-31");
		assertFieldError(api.get(base + "/operations?to=" + FAR_FUTURE).bearer(key).header("Accept", "text/csv").send(),
				"to", "0001-01-01");
		assertFieldError(api.get(base + "/balance?at=" + FAR_FUTURE).bearer(key).send(), "at", "0001-01-01");
		assertFieldError(api.get(base + "/statement?from=" + FAR_PAST + "&to=2026-01-01T00:00:00Z").bearer(key).send(),
				"from", "0001-01-01");
		assertFieldError(api.get(base + "/statement?to=" + FAR_FUTURE).bearer(key).send(), "to", "0001-01-01");
	}

	@Test
	void instantsOutsideTheStoredRangeAreRefusedOnEventQueries() {
		assertFieldError(api.get("/api/v1/events?to=" + FAR_FUTURE).asAdmin().send(), "to", "0001-01-01");
		assertFieldError(api.get("/api/v1/events?from=" + FAR_PAST).asAdmin().send(), "from", "0001-01-01");
		assertFieldError(api.get("/api/v1/events/failed?from=" + FAR_PAST).asAdmin().send(), "from", "0001-01-01");
		assertFieldError(api.get("/api/v1/events/failed?to=" + FAR_FUTURE).asAdmin().send(), "to", "0001-01-01");
		assertFieldError(api.get("/api/v1/events/stats?from=" + FAR_PAST).asAdmin().send(), "from", "0001-01-01");
	}

	@Test
	void instantsInsideTheRangeStillWorkWithAnOffset() {
		assertThat(api.get("/api/v1/events?from=2026-01-01T00:00:00%2B02:00&to=9999-12-31T23:59:59Z").asAdmin().send()
			.status()).isEqualTo(200);
	}

	@Test
	void aCursorCarryingAnInstantOutsideTheRangeIsRefused() {
		String key = customerKey();
		String wallet = wallet(key);
		for (String instant : new String[] { "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z" }) {
			String cursor = Cursor.of(instant, UUID.randomUUID()).encode();
			assertProblem(api.get("/api/v1/events?cursor=" + cursor).asAdmin().send(), 400, "invalid_cursor");
			assertProblem(api.get("/api/v1/events/failed?cursor=" + cursor).asAdmin().send(), 400, "invalid_cursor");
			assertProblem(api.get("/api/v1/applications?cursor=" + cursor).asAdmin().send(), 400, "invalid_cursor");
			assertProblem(api.get("/api/v1/wallets/" + wallet + "/operations?cursor=" + cursor).bearer(key).send(), 400,
					"invalid_cursor");
		}
	}

	// --- header bytes and paths the firewall refuses ------------------------------------------------------------

	@Test
	void aHeaderValueWithControlBytesIsA400NamingTheHeader() throws IOException {
		String key = customerKey();
		String wallet = wallet(key);
		String body = "{\"amount\":\"1.00\"}";
		byte[] request = ("POST /api/v1/wallets/" + wallet + "/deposits HTTP/1.1\r\nHost: localhost\r\n"
				+ "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\nIdempotency-Key: ключ-1\r\n"
				+ "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
			.getBytes(StandardCharsets.UTF_8);
		Response response = api.raw(request);
		JsonNode problem = assertProblem(response, 400, "invalid_header");
		assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
	}

	@Test
	void theDocumentedEncodedSlashRouteOfARepositoryWorks() {
		Response response = api.get("/api/v1/repositories/acme%2Frepo-" + UUID.randomUUID()).asAdmin().send();
		assertProblem(response, 404, "repository_not_found");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1//auth/me", "/api/v1/auth/me;jsessionid=ABC", "/api/v1/%2e%2e/auth/me",
			"/api/v1/auth/%2E%2E/me", "/api/v1/auth/me%00", "/api/v1/a%25b" })
	void oddPathsAnswerProblemJson(String path) throws IOException {
		Response response = api.raw(("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
				+ api.adminToken() + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
			.getBytes(StandardCharsets.ISO_8859_1));
		assertThat(response.status()).as(path + " " + response).isBetween(400, 499);
		assertThat(response.contentType()).as(path + " " + response).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isNotBlank();
	}

	@Test
	void aVeryLongPathSegmentAnswersProblemJson() throws IOException {
		Response response = api.raw(("GET /api/v1/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n"
				+ "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
		assertThat(response.status()).as(response.toString()).isBetween(400, 499);
		assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isNotBlank();
	}

	// --- NUL in text ---------------------------------------------------------------------------------------------

	@Test
	void nulInAJsonTextFieldIsAValidationErrorOnThatField() {
		assertFieldError(api.post("/api/v1/customers",
				Map.of("name", "nul\u0000name", "email", UUID.randomUUID() + "@example.test")).send(), "name", "NUL");
		assertFieldError(api.post("/api/v1/auth/login", Map.of("username", "ad\u0000min", "password", "x")).send(),
				"username", "NUL");
		assertFieldError(api.post("/api/v1/applications", Map.of("name", "app\u0000")).asAdmin().send(), "name",
				"NUL");
	}

	@Test
	void nulInAQueryParameterIsAValidationErrorOnThatParameter() {
		assertFieldError(api.get("/api/v1/events?category=a%00b").asAdmin().send(), "category", "NUL");
	}

	@Test
	void nulInAnEventIsStillRefusedWith400() {
		String key = api.post("/api/v1/applications", Map.of("name", "edge-" + UUID.randomUUID()))
			.asAdmin()
			.send()
			.json()
			.get("api_key")
			.asString();
		Map<String, Object> event = Map.of("session_id", UUID.randomUUID().toString(), "category", "c", "name", "n",
				"timestamp", Instant.now().toString(), "data", Map.of("text", "a\u0000b"));
		assertThat(api.post("/api/v1/events", event).bearer(key).send().status()).isEqualTo(400);
	}

	// --- bodies past the limit ------------------------------------------------------------------------------------

	@Test
	void aChunkedBodyPastTheLimitIsRefusedBeforeItIsAllSent() throws Exception {
		long total = 30L * 1024 * 1024;
		AtomicLong sent = new AtomicLong();
		try (Socket socket = new Socket("localhost", api.port())) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /api/v1/customers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
			CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
				// One JSON text that never ends: only the size limit can stop it.
				byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.ISO_8859_1);
				byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
				try {
					out.write("9\r\n{\"name\":\"\r\n".getBytes(StandardCharsets.ISO_8859_1));
					while (sent.get() < total) {
						out.write(head);
						out.write(chunk);
						out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
						sent.addAndGet(chunk.length);
					}
					out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
				}
				catch (IOException closedByServer) {
					// expected: the server answered and stopped reading
				}
			});
			Response response = TestApi.answer(socket.getInputStream());
			long sentWhenAnswered = sent.get();
			assertProblem(response, 413, "content_too_large");
			assertThat(sentWhenAnswered).as("bytes sent when the 413 arrived").isLessThan(total / 2);
			writer.get(30, TimeUnit.SECONDS);
		}
	}

	// --- field names, JSON limits, representations ----------------------------------------------------------------

	@Test
	void aBadPathVariableIsNamedAsTheClientWouldWriteIt() {
		assertFieldError(api.get("/api/v1/sessions/not-a-uuid/events").asAdmin().send(), "session_id", "");
		assertFieldError(api.delete("/api/v1/api-keys/not-a-uuid").bearer(customerKey()).send(), "key_id", "");
	}

	@Test
	void aMistypedNestedBodyFieldIsNamedAsSent() {
		assertFieldError(api.post("/api/v1/etl/runs", "{\"source\":{\"org\":\"x\"},\"max_repositories\":\"many\"}")
			.asAdmin()
			.send(), "max_repositories", "");
	}

	@Test
	void deeplyNestedJsonSaysItIsNestedTooDeeply() {
		// A JSON schema is read as a tree, so the parser reaches the depth limit before any type mismatch.
		String body = "{\"type\":\"object\",\"default\":" + "[".repeat(1200) + "]".repeat(1200) + "}";
		JsonNode problem = assertProblem(api.put("/api/v1/event-types/edge/deep", body).asAdmin().send(), 400,
				"json_too_deep");
		assertThat(problem.get("detail").asString()).contains("nested");
	}

	@Test
	void aTooLongNumberSaysSo() {
		String body = "{\"source\":{\"org\":\"x\"},\"max_repositories\":" + "9".repeat(5001) + "}";
		JsonNode problem = assertProblem(api.post("/api/v1/etl/runs", body).asAdmin().send(), 400,
				"validation_failed");
		assertThat(problem.get("errors").get(0).get("message").asString()).contains("digits");
	}

	@Test
	void anAcceptTheServerCannotProduceIs406() {
		assertProblem(api.get("/api/v1/auth/me").asAdmin().header("Accept", "application/xml").send(), 406,
				"not_acceptable");
	}

	@Test
	void aFormatParameterTheEndpointDoesNotOfferIs406() {
		JsonNode problem = assertProblem(api.get("/api/v1/events?format=xml").asAdmin().send(), 406,
				"not_acceptable");
		assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("format");
		assertProblem(api.get("/api/v1/auth/me?format=csv").asAdmin().send(), 406, "not_acceptable");
		assertThat(api.get("/api/v1/auth/me?format=json").asAdmin().send().status()).isEqualTo(200);
	}
}
