package io.walleye.eye;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.eye.EyeFixtures.App;
import io.walleye.eye.client.EyeClient;
import io.walleye.eye.client.EyeEvent;
import io.walleye.eye.intake.BacklogMonitor;
import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static io.walleye.eye.EyeFixtures.application;
import static org.assertj.core.api.Assertions.assertThat;

/** The Java client against the real server: batches arrive, 429s are ridden out, nothing is stored twice. */
@WalleyeIntegrationTest
class EyeClientIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	BacklogMonitor backlog;

	@Autowired
	JdbcClient jdbc;

	@Test
	void everyEventSentThroughTheClientIsStoredOnce() throws Exception {
		App app = application(api, "client");
		UUID session = UUID.randomUUID();
		List<EyeEvent> events = new ArrayList<>();
		try (EyeClient client = EyeClient.builder(URI.create(api.baseUrl()), app.key()).batchSize(100).build()) {
			for (int i = 0; i < 1000; i++) {
				EyeEvent event = EyeEvent.of(session, "page interaction", "pageview",
						Map.of("host", "shop.example", "path", "/p/" + i));
				events.add(event);
				assertThat(client.send(event)).isTrue();
			}
			assertThat(client.flush(Duration.ofSeconds(30))).isTrue();
			assertThat(client.metrics().sent()).isEqualTo(1000);
			assertThat(client.metrics().failed()).isZero();
		}
		EyeFixtures.await(() -> count(app.id()) == 1000, "1000 events stored");
		EyeFixtures.stored(api, events.get(999).id());
	}

	@Test
	void theClientRidesOutBackPressure() throws Exception {
		App app = application(api, "client");
		long bound = backlog.maxBacklog();
		try (EyeClient client = EyeClient.builder(URI.create(api.baseUrl()), app.key())
			.backoff(Duration.ofMillis(50), Duration.ofMillis(500))
			.build()) {
			backlog.maxBacklog(-1);
			client.send(EyeEvent.of(UUID.randomUUID(), "page interaction", "pageview", Map.of("host", "h", "path", "/")));
			EyeFixtures.await(() -> client.metrics().retried() > 0, "a 429 retried");
			backlog.maxBacklog(bound);
			assertThat(client.flush(Duration.ofSeconds(20))).isTrue();
			assertThat(client.metrics().sent()).isEqualTo(1);
		}
		finally {
			backlog.maxBacklog(bound);
		}
		EyeFixtures.await(() -> count(app.id()) == 1, "the event stored");
	}

	@Test
	void eventsTheServerRefusesCountAsFailedWithTheReasonAndTheOthersAreStored() throws Exception {
		App app = application(api, "client");
		UUID session = UUID.randomUUID();
		EyeEvent exact = EyeEvent.of(session, "shop", "checkout",
				Map.of("total", new java.math.BigDecimal("12345678.123456789")));
		try (EyeClient client = EyeClient.builder(URI.create(api.baseUrl()), app.key()).batchSize(1).build()) {
			client.send(exact);
			client.send(EyeEvent.of(session, "shop", "checkout", Map.of("note", "a\u0000b")));
			client.send(EyeEvent.of(session, "shop", "checkout", Map.of("note", "fine")));
			assertThat(client.flush(Duration.ofSeconds(30))).isTrue();
			assertThat(client.metrics().sent()).isEqualTo(2);
			assertThat(client.metrics().failed()).isEqualTo(1);
			assertThat(client.metrics().lastFailure()).contains("HTTP 400", "invalid_events", "data.note");
		}
		EyeFixtures.await(() -> count(app.id()) == 2, "the two valid events stored");
		EyeFixtures.stored(api, exact.id());
		assertThat(api.get("/api/v1/events/" + exact.id()).asAdmin().send().body())
			.contains("\"total\":12345678.123456789");
	}

	private long count(UUID application) {
		return jdbc.sql("select count(*) from eye_events where application_id = :app")
			.param("app", application)
			.query(Long.class)
			.single();
	}
}
