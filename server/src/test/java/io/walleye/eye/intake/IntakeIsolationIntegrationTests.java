package io.walleye.eye.intake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.platform.ApiException;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committer's own safety net, for a value the request's checks let through: handed straight to the intake, a
 * request the database refuses fails alone and every other request of its group commit is stored.
 */
@WalleyeIntegrationTest
class IntakeIsolationIntegrationTests {

	@Autowired
	EventIntake intake;

	@Autowired
	JdbcClient jdbc;

	private static QueuedEvent event(UUID application, String category, String data) {
		return new QueuedEvent(application, UUID.randomUUID(), UUID.randomUUID(), category, "probe", Instant.now(), data,
				Instant.now());
	}

	@Test
	void aRequestTheDatabaseRefusesFailsAloneInItsGroupCommit() throws Exception {
		UUID good = UUID.randomUUID();
		UUID bad = UUID.randomUUID();
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			for (int round = 0; round < 10; round++) {
				CountDownLatch start = new CountDownLatch(1);
				List<Future<?>> valid = new ArrayList<>();
				for (int i = 0; i < 15; i++) {
					List<QueuedEvent> events = List.of(event(good, "intake", "{\"i\":1}"), event(good, "intake", "{}"));
					valid.add(pool.submit(() -> {
						start.await();
						intake.submit(events);
						return null;
					}));
				}
				List<QueuedEvent> poisoned = List.of(event(bad, "intake", "{}"),
						round % 2 == 0 ? event(bad, "in\u0000take", "{}") : event(bad, "intake", "{\"n\":1e131072}"));
				Future<?> refused = pool.submit(() -> {
					start.await();
					intake.submit(poisoned);
					return null;
				});
				start.countDown();
				for (Future<?> request : valid) {
					request.get();
				}
				ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
						refused::get);
				assertThat(failure.getCause()).isInstanceOfSatisfying(ApiException.class, problem -> {
					assertThat(problem.code()).isEqualTo("invalid_events");
					assertThat(problem.properties().get("errors").toString()).contains("index=1");
				});
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(count(good)).isEqualTo(300);
		assertThat(count(bad)).isZero();
	}

	private long count(UUID application) {
		return jdbc.sql("""
				select (select count(*) from eye_intake where application_id = :app)
				     + (select count(*) from eye_events where application_id = :app)
				     + (select count(*) from eye_failed_events where application_id = :app)
				""").param("app", application).query(Long.class).single();
	}
}
