package io.walleye.eye;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.eye.EyeFixtures.App;
import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static io.walleye.eye.EyeFixtures.application;
import static io.walleye.eye.EyeFixtures.ids;
import static io.walleye.eye.EyeFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

/** What an event's data may hold: values the database refuses cost only their own request; numbers stay exact. */
@WalleyeIntegrationTest
class EventDataIntegrationTests {

	/** Each refused on its own: the raw JSON of one bad event, and the field the problem must name. */
	private static final List<String[]> BAD = List.of(new String[] { "\"data\":{\"v\":\"a\\u0000b\"}", "data.v" },
			new String[] { "\"data\":{\"k\\u0000\":1}", "data.k\\u0000" },
			new String[] { "\"data\":{\"n\":{\"list\":[1,\"\\u0000\"]}}", "data.n.list[1]" },
			new String[] { "\"data\":{\"big\":1e131072}", "data.big" },
			new String[] { "\"data\":{\"tiny\":1e-16384}", "data.tiny" },
			new String[] { "\"data\":{\"huge\":1e2147483648}", "data.huge" },
			new String[] { "\"data\":{\"s\":\"\\ud800\"}", "data.s" },
			new String[] { "\"data\":{},\"category\":\"c\\u0000\"", "category" },
			new String[] { "\"data\":{},\"name\":\"n\\u0000\"", "name" },
			new String[] { "\"data\":{},\"session_id\":\"e2085be5-9137-4e4e-80b5-f1ffddc2542\\u0000\"", "session_id" });

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	/** One event as raw JSON: the given fields, and the envelope's defaults for those it does not give. */
	private static String event(UUID session, String fields) {
		Map<String, String> defaults = new LinkedHashMap<>();
		defaults.put("session_id", "\"" + session + "\"");
		defaults.put("category", "\"isolation\"");
		defaults.put("name", "\"probe\"");
		defaults.put("timestamp", "\"" + Instant.now() + "\"");
		StringBuilder json = new StringBuilder("{").append(fields);
		defaults.forEach((key, value) -> {
			if (!fields.contains("\"" + key + "\":")) {
				json.append(",\"").append(key).append("\":").append(value);
			}
		});
		return json.append('}').toString();
	}

	@Test
	void aBadEventFromOneApplicationCostsNoOtherApplicationsEvents() throws Exception {
		App good = application(api, "isolation-good");
		App bad = application(api, "isolation-bad");
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			for (int round = 0; round < 10; round++) {
				String[] poison = BAD.get(round % BAD.size());
				CountDownLatch start = new CountDownLatch(1);
				List<Future<TestApi.Response>> valid = new ArrayList<>();
				for (int i = 0; i < 15; i++) {
					String body = event(UUID.randomUUID(), "\"data\":{\"i\":" + i + "}");
					valid.add(pool.submit(() -> {
						start.await();
						return api.post("/api/v1/events", body).bearer(good.key()).send();
					}));
				}
				String badBody = event(UUID.randomUUID(), poison[0]);
				Future<TestApi.Response> refused = pool.submit(() -> {
					start.await();
					return api.post("/api/v1/events", badBody).bearer(bad.key()).send();
				});
				start.countDown();
				for (Future<TestApi.Response> response : valid) {
					assertThat(response.get().status()).as("a valid request in round %d", round).isEqualTo(202);
				}
				TestApi.Response problem = refused.get();
				assertThat(problem.status()).as("%s", poison[0]).isEqualTo(400);
				assertThat(problem.json().get("code").asString()).isEqualTo("invalid_events");
				JsonNode error = problem.json().get("errors").get(0);
				assertThat(error.get("index").asInt()).isZero();
				assertThat(error.get("field").asString()).isEqualTo(poison[1]);
			}
		}
		finally {
			pool.shutdownNow();
		}
		EyeFixtures.await(() -> count(good.id()) == 150, "all 150 valid events stored");
		assertThat(count(bad.id())).isZero();
	}

	@Test
	void theBadItemAloneIsNamedInABatch() {
		App app = application(api, "isolation");
		UUID session = UUID.randomUUID();
		String body = "[" + event(session, "\"data\":{\"ok\":1}") + "," + event(session, "\"data\":{\"x\":1e131072}")
				+ "]";
		TestApi.Response response = api.post("/api/v1/events", body).bearer(app.key()).send();

		assertThat(response.status()).isEqualTo(400);
		JsonNode errors = response.json().get("errors");
		assertThat(errors).hasSize(1);
		assertThat(errors.get(0).get("index").asInt()).isEqualTo(1);
		assertThat(errors.get(0).get("field").asString()).isEqualTo("data.x");
	}

	@Test
	void numbersComeBackExactlyAsSent() {
		App app = application(api, "numbers");
		String body = event(UUID.randomUUID(), "\"data\":{\"a\":12345678.123456789,\"b\":3.14159265358979323846,"
				+ "\"c\":1E-400,\"d\":1.50,\"e\":-0.000000000000000000000000001,\"f\":123456789012345678901234567890}");
		TestApi.Response accepted = api.post("/api/v1/events", body).bearer(app.key()).send();
		assertThat(accepted.status()).isEqualTo(202);
		UUID id = ids(accepted).getFirst();
		stored(api, id);

		String answer = api.get("/api/v1/events/" + id).asAdmin().send().body();
		assertThat(answer).contains("\"a\":12345678.123456789", "\"b\":3.14159265358979323846", "\"c\":1E-400",
				"\"d\":1.50", "\"e\":-1E-27", "\"f\":123456789012345678901234567890");
		String listed = api.get("/api/v1/events?category=isolation&application_id=" + app.id()).asAdmin().send().body();
		assertThat(listed).contains("\"a\":12345678.123456789", "\"c\":1E-400");
	}

	@Test
	void schemasStillValidateNumbersKeptAsDecimals() {
		String type = "priced-" + UUID.randomUUID();
		String schema = """
				{"type":"object","properties":{"price":{"type":"number","maximum":10.5},"qty":{"type":"integer"}},
				 "required":["price","qty"]}""";
		assertThat(api.put("/api/v1/event-types/numbers/" + type, schema).asAdmin().send().status()).isEqualTo(201);
		App app = application(api, "numbers");
		String ok = event(UUID.randomUUID(), "\"data\":{\"price\":10.49999999999999999999,\"qty\":3}")
			.replace("\"isolation\"", "\"numbers\"").replace("\"probe\"", "\"" + type + "\"");
		String tooHigh = event(UUID.randomUUID(), "\"data\":{\"price\":10.50000000000000000001,\"qty\":3}")
			.replace("\"isolation\"", "\"numbers\"").replace("\"probe\"", "\"" + type + "\"");
		UUID stored = ids(api.post("/api/v1/events", ok).bearer(app.key()).send()).getFirst();
		UUID failed = ids(api.post("/api/v1/events", tooHigh).bearer(app.key()).send()).getFirst();

		assertThat(stored(api, stored).get("id").asString()).isEqualTo(stored.toString());
		assertThat(EyeFixtures.failed(api, failed).get("messages").get(0).asString()).contains("10.5");
	}

	@Test
	void theEventSizeIsMeasuredOnTheDataAsParsed() {
		App app = application(api, "size");
		// 12,000 × é: 24,000 bytes as UTF-8, 72,000 as \u00e9 escapes; both under the 32 KiB limit as parsed
		String utf8 = event(UUID.randomUUID(), "\"data\":{\"text\":\"" + "é".repeat(12_000) + "\"}");
		String escaped = event(UUID.randomUUID(), "\"data\":{\"text\":\"" + "\\u00e9".repeat(12_000) + "\"}");
		String spaced = event(UUID.randomUUID(),
				"\"data\":{\"text\":\"" + "é".repeat(12_000) + "\"" + " ".repeat(40_000) + "}");
		assertThat(api.post("/api/v1/events", utf8).bearer(app.key()).send().status()).isEqualTo(202);
		assertThat(api.post("/api/v1/events", escaped).bearer(app.key()).send().status()).isEqualTo(202);
		assertThat(api.post("/api/v1/events", spaced).bearer(app.key()).send().status()).isEqualTo(202);

		// 16,400 × é: 32,800 bytes as parsed, over the limit however it is written
		String over = event(UUID.randomUUID(), "\"data\":{\"text\":\"" + "é".repeat(16_400) + "\"}");
		String overEscaped = event(UUID.randomUUID(), "\"data\":{\"text\":\"" + "\\u00e9".repeat(16_400) + "\"}");
		assertThat(api.post("/api/v1/events", over).bearer(app.key()).send().status()).isEqualTo(413);
		assertThat(api.post("/api/v1/events", overEscaped).bearer(app.key()).send().status()).isEqualTo(413);
	}

	private long count(UUID application) {
		return jdbc.sql("select count(*) from eye_events where application_id = :app")
			.param("app", application)
			.query(Long.class)
			.single();
	}
}
