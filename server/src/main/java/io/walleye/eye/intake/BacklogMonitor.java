package io.walleye.eye.intake;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.walleye.eye.Backlog;
import io.walleye.eye.EyeProperties;

/**
 * Measures the backlog behind the worker a few times a second, so that every ingestion request can be refused
 * cheaply (429) once it passes {@code walleye.eye.max-backlog}, instead of letting the queue grow without limit.
 */
@Component
public class BacklogMonitor implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(BacklogMonitor.class);

	private final EventIntake intake;

	private volatile long maxBacklog;

	private volatile Backlog current = new Backlog(0, java.time.Duration.ZERO);

	private final ReentrantLock measuring = new ReentrantLock();

	private @Nullable ScheduledExecutorService scheduler;

	BacklogMonitor(EventIntake intake, EyeProperties properties, MeterRegistry meters) {
		this.intake = intake;
		this.maxBacklog = properties.maxBacklog();
		Gauge.builder("eye.backlog.size", this, monitor -> monitor.current.size())
			.description("Accepted events waiting for the worker")
			.register(meters);
		Gauge.builder("eye.backlog.age", this, monitor -> monitor.current.age().toMillis() / 1000.0)
			.baseUnit("seconds")
			.description("How long the oldest waiting event has waited")
			.register(meters);
	}

	/** True when the last measured backlog is past the bound. */
	public boolean overloaded() {
		return current.size() > maxBacklog;
	}

	public Backlog current() {
		return current;
	}

	/**
	 * Measures now (the console and tests want a fresh figure). Measurements take turns: without that, the scheduled
	 * one that read the backlog just before an event was accepted could store its older figure after this fresher
	 * one, and a bound lowered at run time would be judged against a stale, smaller backlog until the next tick.
	 */
	public Backlog refresh() {
		measuring.lock();
		try {
			current = intake.backlog();
			return current;
		}
		finally {
			measuring.unlock();
		}
	}

	/** Changes the bound at run time (tests; an operator lowering it under load). */
	public void maxBacklog(long bound) {
		this.maxBacklog = bound;
		refresh();
	}

	public long maxBacklog() {
		return maxBacklog;
	}

	@Override
	public void start() {
		scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("eye-backlog").factory());
		scheduler.scheduleWithFixedDelay(() -> {
			try {
				refresh();
			}
			catch (RuntimeException ex) {
				log.debug("Backlog measurement failed: {}", ex.toString());
			}
		}, 0, 250, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		if (scheduler != null) {
			scheduler.shutdownNow();
			scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return scheduler != null;
	}
}
