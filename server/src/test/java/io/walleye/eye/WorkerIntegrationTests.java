package io.walleye.eye;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.eye.EyeFixtures.App;
import io.walleye.eye.intake.BacklogMonitor;
import io.walleye.eye.intake.EventIntake;
import io.walleye.eye.intake.QueuedEvent;
import io.walleye.eye.persistence.EventStore;
import io.walleye.eye.worker.EventWorker;
import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static io.walleye.eye.EyeFixtures.application;
import static io.walleye.eye.EyeFixtures.event;
import static io.walleye.eye.EyeFixtures.ids;
import static io.walleye.eye.EyeFixtures.pageview;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PostgreSQL intake's worker: parallel workers, a worker killed mid-batch, retries, the backlog bound. */
@WalleyeIntegrationTest
class WorkerIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	EventWorker worker;

	@Autowired
	BacklogMonitor backlog;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EventIntake intake;

	/**
	 * A claim takes at most its batch size however many events wait, also once the driver and PostgreSQL have
	 * switched the claim to a cached generic plan (after five executions). Written as {@code seq in (select ...)} the
	 * claim once deleted a whole backlog of 41,000 in one 705 s statement under such a plan; this does not reproduce
	 * that plan on a small table, it keeps the bound.
	 */
	@Test
	void aClaimTakesAtMostItsBatchSizeAcrossRepeatedClaims() {
		App app = application(api, "worker");
		worker.stop();
		try {
			UUID session = UUID.randomUUID();
			for (int request = 0; request < 3; request++) {
				List<Object> batch = new ArrayList<>();
				for (int i = 0; i < 300; i++) {
					batch.add(pageview(session, Instant.now()));
				}
				ids(api.post("/api/v1/events", batch).bearer(app.key()).send());
			}
			List<Integer> claims = new ArrayList<>();
			for (int claim = 0; claim < 8; claim++) {
				claims.add(intake.drain(100, events -> assertThat(events).hasSizeLessThanOrEqualTo(100)));
			}
			// 900 were waiting: each of the eight claims took exactly its hundred (stored as claimed; none is invalid).
			assertThat(claims).containsOnly(100);
			assertThat(countIn("eye_intake", app.id())).isEqualTo(100);
		}
		finally {
			worker.start();
		}
	}

	@Autowired
	EventStore store;

	@Test
	void severalWorkersInParallelFileEachEventExactlyOnce() throws Exception {
		App app = application(api, "worker");
		worker.stop();
		List<UUID> all = new ArrayList<>();
		try {
			UUID session = UUID.randomUUID();
			for (int request = 0; request < 10; request++) {
				List<Object> batch = new ArrayList<>();
				for (int i = 0; i < 200; i++) {
					Map<String, Object> event = i % 10 == 0
							? event(session, "page interaction", "pageview", Instant.now(), Map.of("path", "/"))
							: pageview(session, Instant.now());
					batch.add(event);
				}
				all.addAll(ids(api.post("/api/v1/events", batch).bearer(app.key()).send()));
			}
			ExecutorService pool = Executors.newFixedThreadPool(4);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Integer>> results = new ArrayList<>();
			for (int w = 0; w < 4; w++) {
				results.add(pool.submit(() -> {
					start.await();
					int handled = 0;
					int n;
					while ((n = smallBatches()) > 0) {
						handled += n;
					}
					return handled;
				}));
			}
			start.countDown();
			int total = 0;
			for (Future<Integer> result : results) {
				total += result.get();
			}
			pool.shutdown();
			assertThat(total).isGreaterThanOrEqualTo(all.size());
		}
		finally {
			worker.start();
		}
		long storedCount = countIn("eye_events", app.id());
		long failedCount = countIn("eye_failed_events", app.id());
		assertThat(storedCount).isEqualTo(1800);
		assertThat(failedCount).isEqualTo(200);
		long distinct = jdbc.sql("select count(distinct id) from eye_events where application_id = :app")
			.param("app", app.id())
			.query(Long.class)
			.single();
		assertThat(distinct).isEqualTo(1800);
	}

	private int smallBatches() {
		return worker.processBatch();
	}

	@Test
	void aWorkerKilledMidBatchLosesNothing() {
		App app = application(api, "worker");
		worker.stop();
		try {
			UUID session = UUID.randomUUID();
			List<Object> batch = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				batch.add(pageview(session, Instant.now()));
			}
			ids(api.post("/api/v1/events", batch).bearer(app.key()).send());
			assertThatThrownBy(() -> worker.processBatch(() -> {
				throw new IllegalStateException("killed");
			})).hasMessageContaining("killed");
			assertThat(countIn("eye_events", app.id())).isZero();
			assertThat(countIn("eye_intake", app.id())).isEqualTo(50);
			// The backlog is measured from the sequence numbers, not by counting: it still equals the rows waiting.
			assertThat(backlog.refresh().size())
				.isEqualTo(jdbc.sql("select count(*) from eye_intake").query(Long.class).single());

			while (worker.processBatch() > 0) {
				// drain
			}
		}
		finally {
			worker.start();
		}
		assertThat(countIn("eye_events", app.id())).isEqualTo(50);
		assertThat(countIn("eye_intake", app.id())).isZero();
	}

	@Test
	void concurrentRetriesOfTheSameEventsAreStoredOnce() throws Exception {
		App app = application(api, "worker");
		UUID session = UUID.randomUUID();
		List<Object> batch = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			batch.add(EyeFixtures.withId(pageview(session, Instant.now()), UUID.randomUUID()));
		}
		ExecutorService pool = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		AtomicInteger accepted = new AtomicInteger();
		List<Future<?>> futures = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			futures.add(pool.submit(() -> {
				start.await();
				TestApi.Response response = api.post("/api/v1/events", batch).bearer(app.key()).send();
				if (response.status() == 202) {
					accepted.incrementAndGet();
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : futures) {
			future.get();
		}
		pool.shutdown();
		assertThat(accepted.get()).isEqualTo(8);
		EyeFixtures.await(() -> countIn("eye_events", app.id()) == 100 && countIn("eye_intake", app.id()) == 0,
				"100 events stored");
		assertThat(countIn("eye_events", app.id())).isEqualTo(100);
	}

	@Test
	void pastTheBacklogBoundIngestionAnswers429WithRetryAfter() {
		App app = application(api, "worker");
		worker.stop();
		long bound = backlog.maxBacklog();
		try {
			api.post("/api/v1/events", pageview(UUID.randomUUID(), Instant.now())).bearer(app.key()).send();
			backlog.maxBacklog(0);
			TestApi.Response refused = api.post("/api/v1/events", pageview(UUID.randomUUID(), Instant.now()))
				.bearer(app.key())
				.send();
			assertThat(refused.status()).isEqualTo(429);
			assertThat(refused.header("Retry-After")).isPresent();
			assertThat(refused.json().get("code").asString()).isEqualTo("backlog_full");
		}
		finally {
			backlog.maxBacklog(bound);
			worker.start();
		}
		assertThat(api.post("/api/v1/events", pageview(UUID.randomUUID(), Instant.now())).bearer(app.key()).send()
			.status()).isEqualTo(202);
	}

	@Test
	void aBatchThatNamesAFailedEventTwiceFilesItOnceWithTheLaterVerdict() {
		App app = application(api, "worker");
		Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
		QueuedEvent event = new QueuedEvent(app.id(), UUID.randomUUID(), UUID.randomUUID(), "page interaction",
				"pageview", now, "{\"path\":\"/\"}", now);
		store.insertFailures(List.of(new EventStore.Failure(event, FailureReason.SCHEMA_VIOLATION, List.of("first")),
				new EventStore.Failure(event, FailureReason.TIMESTAMP_IN_FUTURE, List.of("second"))), now);

		assertThat(jdbc.sql("select reason || ' ' || (messages ->> 0) from eye_failed_events where id = :id")
			.param("id", event.id())
			.query(String.class)
			.list()).containsExactly("timestamp_in_future second");
	}

	private long countIn(String table, UUID application) {
		return jdbc.sql("select count(*) from " + table + " where application_id = :app")
			.param("app", application)
			.query(Long.class)
			.single();
	}
}
