package io.walleye.eye;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import io.walleye.eye.EyeFixtures.App;
import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static io.walleye.eye.EyeFixtures.application;
import static io.walleye.eye.EyeFixtures.event;
import static io.walleye.eye.EyeFixtures.ids;
import static io.walleye.eye.EyeFixtures.pageview;
import static io.walleye.eye.EyeFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

@WalleyeIntegrationTest
@ParameterizedClass
@EnumSource(EyeProperties.Transport.class)
class IngestionIntegrationTests extends OnBothTransports {

	@Autowired
	TestApi api;

	@Value("${walleye.eye.kafka.topic}")
	String topic;

	@Test
	void oneEventIsAcceptedWithAServerIdAndStored() {
		App app = application(api, "ingest");
		UUID session = UUID.randomUUID();
		TestApi.Response response = api.post("/api/v1/events", pageview(session, Instant.now())).bearer(app.key()).send();

		assertThat(response.status()).isEqualTo(202);
		assertThat(response.json().get("accepted").asInt()).isEqualTo(1);
		// Sent in one write with its length, not chunked (docs/performance.md, single-event requests).
		assertThat(response.header("Content-Length"))
			.hasValue(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
		UUID id = ids(response).getFirst();
		JsonNode event = stored(api, id);
		assertThat(event.get("session_id").asString()).isEqualTo(session.toString());
		assertThat(event.get("application_id").asString()).isEqualTo(app.id().toString());
		assertThat(event.get("data").get("host").asString()).isEqualTo("www.example.com");
	}

	@Test
	void theApplicationsTimestampFormatIsReadAsUtc() {
		App app = application(api, "ingest");
		Map<String, Object> event = pageview(UUID.randomUUID(), Instant.now());
		event.put("timestamp", "2021-01-01 09:15:27.243860");
		TestApi.Response response = api.post("/api/v1/events", event).bearer(app.key()).send();

		assertThat(response.status()).isEqualTo(202);
		JsonNode stored = stored(api, ids(response).getFirst());
		assertThat(stored.get("timestamp").asString()).isEqualTo("2021-01-01T09:15:27.243860Z");
	}

	@Test
	void aBatchOfTheThreeExampleTypesIsStored() {
		App app = application(api, "ingest");
		UUID session = UUID.randomUUID();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		List<Object> batch = List.of(pageview(session, now.minusSeconds(3)),
				event(session, "page interaction", "cta click", now.minusSeconds(2),
						Map.of("host", "h", "path", "/", "element", "buy")),
				event(session, "form interaction", "submit", now.minusSeconds(1),
						Map.of("host", "h", "path", "/", "form", Map.of("first_name", "A", "last_name", "B"))));
		TestApi.Response response = api.post("/api/v1/events", batch).bearer(app.key()).send();

		assertThat(response.status()).isEqualTo(202);
		assertThat(response.json().get("accepted").asInt()).isEqualTo(3);
		ids(response).forEach(id -> stored(api, id));
	}

	@Test
	void envelopeErrorsOfEveryKindAreListedByIndexAndNothingIsStored() {
		App app = application(api, "ingest");
		UUID session = UUID.randomUUID();
		Map<String, Object> good = pageview(session, Instant.now());
		Map<String, Object> badSession = new java.util.LinkedHashMap<>(good);
		badSession.put("session_id", "not-a-uuid");
		Map<String, Object> missing = new java.util.LinkedHashMap<>(good);
		missing.remove("category");
		missing.put("name", "");
		Map<String, Object> badTime = new java.util.LinkedHashMap<>(good);
		badTime.put("timestamp", "yesterday");
		Map<String, Object> badData = new java.util.LinkedHashMap<>(good);
		badData.put("data", List.of(1, 2));
		badData.put("colour", "blue");
		badData.put("id", 42);
		TestApi.Response response = api.post("/api/v1/events", List.of(good, badSession, missing, badTime, badData))
			.bearer(app.key())
			.send();

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		List<String> errors = new ArrayList<>();
		response.json().get("errors").forEach(e -> errors.add(e.get("index").asInt() + ":" + e.get("field").asString()));
		assertThat(errors).containsExactlyInAnyOrder("1:session_id", "2:category", "2:name", "3:timestamp", "4:data",
				"4:colour", "4:id");
		assertThat(api.get("/api/v1/events?session_id=" + session).asAdmin().send().json().get("items")).isEmpty();
	}

	@Test
	void malformedJsonAndWrongShapesAre400() {
		App app = application(api, "ingest");
		assertThat(api.post("/api/v1/events", "{\"session_id\":").bearer(app.key()).send().status()).isEqualTo(400);
		assertThat(api.post("/api/v1/events", "42").bearer(app.key()).send().status()).isEqualTo(400);
		assertThat(api.post("/api/v1/events", "[]").bearer(app.key()).send().status()).isEqualTo(400);
		TestApi.Response notObject = api.post("/api/v1/events", "[1]").bearer(app.key()).send();
		assertThat(notObject.status()).isEqualTo(400);
		assertThat(notObject.json().get("errors").get(0).get("index").asInt()).isZero();
	}

	@Test
	void tooLargeRequestsEventsAndBatchesAre413() {
		App app = application(api, "ingest");
		UUID session = UUID.randomUUID();
		String big = "x".repeat(40 * 1024);
		TestApi.Response bigEvent = api
			.post("/api/v1/events", event(session, "page interaction", "pageview", Instant.now(), Map.of("host", big)))
			.bearer(app.key())
			.send();
		assertThat(bigEvent.status()).isEqualTo(413);

		List<Object> many = new ArrayList<>();
		for (int i = 0; i < 501; i++) {
			many.add(pageview(session, Instant.now()));
		}
		assertThat(api.post("/api/v1/events", many).bearer(app.key()).send().status()).isEqualTo(413);

		List<Object> heavy = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			heavy.add(event(session, "page interaction", "pageview", Instant.now(),
					Map.of("host", "y".repeat(30 * 1024))));
		}
		TestApi.Response heavyRequest = api.post("/api/v1/events", heavy).bearer(app.key()).send();
		assertThat(heavyRequest.status()).isEqualTo(413);
		assertThat(heavyRequest.contentType()).startsWith("application/problem+json");
	}

	@Test
	void onlyApplicationKeysMaySendEvents() {
		assertThat(api.post("/api/v1/events", pageview(UUID.randomUUID(), Instant.now())).send().status())
			.isEqualTo(401);
		assertThat(api.post("/api/v1/events", pageview(UUID.randomUUID(), Instant.now())).asAdmin().send().status())
			.isEqualTo(403);
	}

	@Test
	void aRetriedEventIsStoredOnce() {
		App app = application(api, "ingest");
		UUID id = UUID.randomUUID();
		UUID session = UUID.randomUUID();
		Map<String, Object> event = EyeFixtures.withId(pageview(session, Instant.now()), id);
		for (int i = 0; i < 3; i++) {
			TestApi.Response response = api.post("/api/v1/events", List.of(event, event)).bearer(app.key()).send();
			assertThat(response.status()).isEqualTo(202);
			assertThat(ids(response)).containsOnly(id);
		}
		stored(api, id);
		EyeFixtures.await(() -> api.get("/api/v1/events?session_id=" + session).asAdmin().send().json().get("items")
			.size() == 1, "one event");
		assertThat(api.get("/api/v1/events?session_id=" + session).asAdmin().send().json().get("items")).hasSize(1);
	}

	@Test
	void prometheusShowsTheEyesMetrics() {
		App app = application(api, "ingest");
		UUID id = ids(api.post("/api/v1/events", pageview(UUID.randomUUID(), Instant.now())).bearer(app.key()).send())
			.getFirst();
		stored(api, id);
		String metrics = api.get("/actuator/prometheus").asAdmin().send().body();
		assertThat(metrics).contains("eye_events_accepted_total", "eye_events_stored_total",
				"eye_events_failed_total{application=\"walleye\",reason=\"schema_violation\"}", "eye_backlog_size",
				"eye_backlog_age_seconds", "eye_ingest_commit_seconds_bucket", "eye_kafka_lag",
				"eye_kafka_partition_lag{application=\"walleye\",partition=\"0\",topic=\"" + topic + "\"}");
	}

	@Test
	void theOpenApiDocumentDescribesIngestion() {
		String doc = api.get("/v3/api-docs").send().body();
		assertThat(doc).contains("/api/v1/events", "/api/v1/event-types/{category}/{name}", "/api/v1/applications",
				"Backlog past its bound");
	}
}
