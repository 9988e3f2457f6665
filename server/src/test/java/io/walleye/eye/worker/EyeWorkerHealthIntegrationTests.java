package io.walleye.eye.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;

import io.walleye.eye.Backlog;
import io.walleye.eye.EyeProperties;
import io.walleye.eye.intake.EventIntake;
import io.walleye.eye.intake.QueuedEvent;
import io.walleye.eye.persistence.EventStore;
import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker's threads in /actuator/health: UP while they run, DOWN once one has died. */
@WalleyeIntegrationTest
class EyeWorkerHealthIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	EventStore store;

	@Autowired
	EventValidator validator;

	@Autowired
	EyeProperties properties;

	@Test
	void theHealthEndpointShowsTheRunningWorkerThreads() {
		JsonNode components = api.get("/actuator/health").asAdmin().send().json().get("components");
		assertThat(components.propertyNames()).contains("eyeWorker");
		JsonNode worker = components.get("eyeWorker");
		assertThat(worker.get("status").asString()).isEqualTo("UP");
		assertThat(worker.get("details").get("threads").asInt()).isPositive();
		assertThat(worker.get("details").get("alive").asInt()).isEqualTo(worker.get("details").get("threads").asInt());
	}

	@Test
	void aWorkerThreadKilledByAnErrorMakesTheWorkerDown() throws Exception {
		EventWorker worker = new EventWorker(new FailingIntake(), store, validator, Clock.systemUTC(), properties,
				new SimpleMeterRegistry());
		EyeWorkerHealthIndicator health = new EyeWorkerHealthIndicator(worker);
		worker.start();
		try {
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (worker.liveness().alive() > 0 && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.health().getDetails()).containsEntry("alive", 0).containsEntry("running", true);
		}
		finally {
			worker.stop();
		}
		// Stopped on purpose is not a failure.
		assertThat(health.health().getStatus()).isEqualTo(Status.UP);
	}

	/** An intake whose drain fails with an Error, as a class that can no longer be loaded would. */
	private static final class FailingIntake implements EventIntake {

		@Override
		public void submit(List<QueuedEvent> events) {
			throw new UnsupportedOperationException();
		}

		@Override
		public int drain(int max, Consumer<List<QueuedEvent>> handler) {
			throw new NoClassDefFoundError("gone");
		}

		@Override
		public Backlog backlog() {
			return new Backlog(0, Duration.ZERO);
		}
	}
}
