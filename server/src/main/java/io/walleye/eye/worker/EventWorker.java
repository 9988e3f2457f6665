package io.walleye.eye.worker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.walleye.eye.EyeProperties;
import io.walleye.eye.FailureReason;
import io.walleye.eye.intake.EventIntake;
import io.walleye.eye.intake.QueuedEvent;
import io.walleye.eye.persistence.EventStore;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/**
 * Takes accepted events from the intake in batches and files each as stored or failed. One batch is one transaction
 * with the claim, so an event leaves the intake exactly when it is filed, whatever crashes and however many workers
 * run.
 */
@Component
@ConditionalOnRole(Role.WORKER)
public class EventWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EventWorker.class);

	private final EventIntake intake;

	private final EventStore store;

	private final EventValidator validator;

	private final Clock clock;

	private final EyeProperties.Worker settings;

	private final Counter stored;

	private final Map<FailureReason, Counter> failed = new ConcurrentHashMap<>();

	private final MeterRegistry meters;

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running;

	private EventIntake.Listening listening = EventIntake.Listening.NONE;

	EventWorker(EventIntake intake, EventStore store, EventValidator validator, Clock clock, EyeProperties properties,
			MeterRegistry meters) {
		this.intake = intake;
		this.store = store;
		this.validator = validator;
		this.clock = clock;
		this.settings = properties.worker();
		this.meters = meters;
		this.stored = Counter.builder("eye.events.stored").description("Events validated and stored").register(meters);
		for (FailureReason reason : FailureReason.values()) {
			failedCounter(reason);
		}
	}

	/** Processes one batch; the number of events filed (0 when the intake is empty). */
	public int processBatch() {
		return processBatch(() -> {
		});
	}

	/** As {@link #processBatch()}, running {@code beforeCommit} after filing (tests use it to crash mid-batch). */
	public int processBatch(Runnable beforeCommit) {
		return intake.drain(settings.batchSize(), events -> fileDrained(events, beforeCommit));
	}

	/**
	 * Files a batch the intake has already stored as valid, in the caller's transaction: only the invalid ones are
	 * withdrawn and filed as failed.
	 */
	private void fileDrained(List<QueuedEvent> events, Runnable beforeCommit) {
		Sorted sorted = sort(events);
		store.withdraw(sorted.failures().stream().map(EventStore.Failure::event).toList());
		store.insertFailures(sorted.failures(), clock.instant());
		beforeCommit.run();
		count(sorted);
	}

	/**
	 * A batch delivered by a transport that only queues (Kafka): the ids are recorded first, so an event already filed
	 * (a redelivery after a crash or rebalance, or a client's retry) is skipped.
	 */
	private void fileFirstSeen(List<QueuedEvent> events) {
		Sorted sorted = sort(store.firstSeen(events));
		var now = clock.instant();
		store.insertEvents(sorted.valid(), now);
		store.insertFailures(sorted.failures(), now);
		count(sorted);
	}

	private record Sorted(List<QueuedEvent> valid, List<EventStore.Failure> failures) {
	}

	private Sorted sort(List<QueuedEvent> events) {
		List<QueuedEvent> valid = new ArrayList<>(events.size());
		List<EventStore.Failure> failures = new ArrayList<>();
		List<EventValidator.Verdict> verdicts = validator.check(events);
		for (int i = 0; i < events.size(); i++) {
			QueuedEvent event = events.get(i);
			switch (verdicts.get(i)) {
				case EventValidator.Verdict.Valid v -> valid.add(event);
				case EventValidator.Verdict.Invalid invalid ->
					failures.add(new EventStore.Failure(event, invalid.reason(), invalid.messages()));
			}
		}
		return new Sorted(valid, failures);
	}

	private void count(Sorted sorted) {
		stored.increment(sorted.valid().size());
		sorted.failures().forEach(failure -> failedCounter(failure.reason()).increment());
	}

	private Counter failedCounter(FailureReason reason) {
		return failed.computeIfAbsent(reason, r -> Counter.builder("eye.events.failed")
			.tag("reason", r.code())
			.description("Events that failed validation, by reason")
			.register(meters));
	}

	private void loop() {
		while (running) {
			try {
				if (processBatch() == 0) {
					Thread.sleep(settings.idleWait().toMillis());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				log.warn("Event worker batch failed, retrying: {}", ex.toString());
				try {
					Thread.sleep(1000);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	@Override
	public void start() {
		if (!settings.enabled()) {
			return;
		}
		running = true;
		for (int i = 0; i < Math.max(1, settings.threads()); i++) {
			threads.add(Thread.ofPlatform()
				.daemon()
				.name("eye-worker-" + i)
				.uncaughtExceptionHandler((thread, error) -> log.error("Event worker thread {} died", thread.getName(),
						error))
				.start(this::loop));
		}
		listening = intake.listen(settings.threads(), this::fileFirstSeen);
	}

	@Override
	public void stop() {
		running = false;
		listening.close();
		listening = EventIntake.Listening.NONE;
		for (Thread thread : threads) {
			try {
				thread.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		threads.clear();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Whether the worker is configured on, and how many of its threads should be and are alive. */
	record Liveness(boolean enabled, boolean running, int expected, int alive) {
	}

	Liveness liveness() {
		List<Thread> current = List.copyOf(threads);
		int alive = (int) current.stream().filter(Thread::isAlive).count();
		int expected = current.size() + (running && listening != EventIntake.Listening.NONE ? 1 : 0);
		int up = alive + (running && listening != EventIntake.Listening.NONE && listening.alive() ? 1 : 0);
		return new Liveness(settings.enabled(), running, expected, up);
	}
}
