package io.walleye.webhooks.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.DatabaseFault;
import io.walleye.platform.Role;
import io.walleye.webhooks.FeedSignal;
import io.walleye.webhooks.WebhooksProperties;
import io.walleye.webhooks.domain.RetrySchedule;
import io.walleye.webhooks.domain.UrlPolicy;
import io.walleye.webhooks.persistence.Deliveries;
import io.walleye.webhooks.persistence.Deliveries.Claimed;
import io.walleye.webhooks.persistence.Endpoints;

/**
 * Sends due deliveries: claims as many as it has free slots (FOR UPDATE SKIP LOCKED, under a lease), sends each on its
 * own virtual thread, and records the attempt and what follows — delivered, retried later, failed, the endpoint
 * disabled — in one transaction. Any number of workers share the work; one that dies leaves its claims due again.
 */
@Component
@ConditionalOnRole(Role.WORKER)
class DeliveryWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

	/** Results written in one transaction at most. */
	private static final int RECORD_BATCH = 256;

	/**
	 * Finished attempts waiting for the recorder at most, per process (a few of its groups). A delivery gives its slot
	 * back once its result is queued, not once it is written: waiting for the group's commit as well held each slot for
	 * the attempt plus up to two commits, which under load capped a worker near 400 deliveries/s with receivers
	 * answering in 15 ms. A full queue keeps the slot taken, so a slow database still slows the claiming.
	 */
	private static final int UNWRITTEN = 4 * RECORD_BATCH;

	private final Deliveries deliveries;

	private final Endpoints endpoints;

	private final UrlPolicy urls;

	private final RetrySchedule schedule;

	private final WebhooksProperties properties;

	private final FeedSignal signal;

	private final Clock clock;

	private final TransactionTemplate transactions;

	private final MeterRegistry meters;

	private final Semaphore slots;

	private @Nullable Sender sender;

	private @Nullable ExecutorService senders;

	private @Nullable Thread loop;

	/** Finished attempts waiting to be written by the recorder, many in one transaction. */
	private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>(UNWRITTEN);

	private @Nullable Thread recorder;

	private volatile boolean running;

	/** The recorder runs until the last attempt in flight has been written, after the claiming loop stopped. */
	private volatile boolean recording;

	DeliveryWorker(Deliveries deliveries, Endpoints endpoints, UrlPolicy urls, RetrySchedule schedule,
			WebhooksProperties properties, FeedSignal signal, Clock clock, PlatformTransactionManager transactionManager,
			MeterRegistry meters) {
		this.deliveries = deliveries;
		this.endpoints = endpoints;
		this.urls = urls;
		this.schedule = schedule;
		this.properties = properties;
		this.signal = signal;
		this.clock = clock;
		this.transactions = new TransactionTemplate(transactionManager);
		this.meters = meters;
		this.slots = new Semaphore(properties.worker().concurrency());
	}

	@Override
	public void start() {
		if (!properties.worker().enabled() || running) {
			return;
		}
		running = true;
		sender = new Sender(properties.timeout());
		senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-delivery-", 0).factory());
		recording = true;
		recorder = Thread.ofPlatform().name("webhook-recorder").daemon().start(this::recordFinished);
		loop = Thread.ofPlatform().name("webhook-worker").daemon().start(this::run);
	}

	@Override
	public void stop() {
		running = false;
		Thread thread = loop;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		ExecutorService executor = senders;
		if (executor != null) {
			// In-flight attempts may finish within their timeout; any cut off are due again when their lease ends.
			executor.shutdown();
			try {
				if (!executor.awaitTermination(properties.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
					executor.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				executor.shutdownNow();
				Thread.currentThread().interrupt();
			}
		}
		recording = false;
		Thread writer = recorder;
		if (writer != null) {
			try {
				writer.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		Sender http = sender;
		if (http != null) {
			http.close();
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** After the web server stops and before the database goes. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

	/**
	 * Claims as many due deliveries as there are free slots, as soon as a slot frees: waiting on the slots, not on the
	 * clock, is what lets a backlog drain at the rate the receivers answer (waiting for the poll interval with every
	 * slot taken held a drain to 32 deliveries per 250 ms). With nothing due, it waits for a new event or the poll.
	 */
	private void run() {
		while (running) {
			int free = 0;
			try {
				long seen = signal.version();
				slots.acquire();
				free = 1 + slots.drainPermits();
				int asked = free;
				List<Claimed> claimed = claim(asked);
				slots.release(asked - claimed.size());
				free = 0;
				claimed.forEach(this::submit);
				if (claimed.size() < asked) {
					signal.await(seen, properties.worker().pollInterval());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				slots.release(free);
				log.warn("Claiming webhook deliveries failed; trying again shortly: {}", ex.toString());
				try {
					Thread.sleep(1_000);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	private List<Claimed> claim(int limit) {
		Instant now = now();
		List<Claimed> claimed = transactions.execute(tx -> deliveries.claim(now, now.plus(properties.lease()), limit));
		return claimed == null ? List.of() : claimed;
	}

	private void submit(Claimed delivery) {
		ExecutorService executor = senders;
		if (executor == null) {
			slots.release();
			return;
		}
		executor.execute(() -> {
			Slot slot = new Slot();
			try {
				deliver(delivery, slot);
			}
			catch (RuntimeException ex) {
				log.warn("Webhook delivery {} could not be recorded; it is due again when its lease ends",
						delivery.id(), ex);
			}
			finally {
				slot.free();
			}
		});
	}

	/** A delivery's place among the {@code concurrency} in flight, given back once. */
	private final class Slot {

		private boolean taken = true;

		void free() {
			if (taken) {
				taken = false;
				slots.release();
			}
		}
	}

	private void deliver(Claimed delivery, Slot slot) {
		Instant started = now();
		List<Deliveries.Attempt> notes = new ArrayList<>();
		if (delivery.interrupted()) {
			notes.add(new Deliveries.Attempt(delivery.id(), delivery.attempt() - 1,
					started.minus(properties.lease()), null, 0, null,
					"no result: the worker stopped during this attempt (its lease ran out)"));
		}
		if (!delivery.enabled()) {
			record(delivery, slot, notes, "failed", null, null, "not sent: the endpoint is disabled", null);
			return;
		}
		Optional<String> refusal = urls.refusal(delivery.url());
		Sender.Result result;
		if (refusal.isPresent()) {
			result = new Sender.Result(null, null, null, "url_not_allowed: url " + refusal.get(), 0);
		}
		else {
			List<String> secrets = new ArrayList<>(2);
			secrets.add(delivery.secret());
			Instant previousUntil = delivery.previousExpiresAt();
			if (delivery.previousSecret() != null && previousUntil != null && previousUntil.isAfter(started)) {
				secrets.add(delivery.previousSecret());
			}
			Sender http = sender;
			if (http == null) {
				return;
			}
			result = http.send(delivery.url(), delivery.eventId().toString(), started.getEpochSecond(),
					delivery.body(), secrets);
		}
		notes.add(new Deliveries.Attempt(delivery.id(), delivery.attempt(), started, result.status(),
				(int) Math.min(Integer.MAX_VALUE, result.durationMs()), result.body(), result.error()));
		Integer status = result.status();
		String error = result.error() != null ? result.error() : status == null ? null : "HTTP " + status;
		if (result.delivered()) {
			record(delivery, slot, notes, "delivered", null, status, null, Outcome.SUCCEEDED);
			return;
		}
		if (status != null && status == 410) {
			record(delivery, slot, notes, "failed", null, status, error, Outcome.GONE);
			return;
		}
		Instant now = now();
		Duration retryAfter = status != null && (status == 429 || status == 503)
				? RetrySchedule.retryAfter(result.retryAfter(), now).orElse(null) : null;
		Optional<Duration> wait = schedule.next(delivery.attempt(), retryAfter, ThreadLocalRandom.current());
		if (wait.isPresent()) {
			record(delivery, slot, notes, "pending", now.plus(wait.get()), status, error, null);
		}
		else {
			record(delivery, slot, notes, "failed", null, status, error, Outcome.FAILED);
		}
	}

	/** What a finished delivery means for its endpoint. */
	private enum Outcome {
		SUCCEEDED, FAILED, GONE
	}

	/** An attempt's result on its way to the database, and the sender waiting for it to be written. */
	private record Finished(Claimed delivery, List<Deliveries.Attempt> attempts, Deliveries.Finish finish,
			@Nullable Outcome outcome, CompletableFuture<@Nullable Void> written) {
	}

	/**
	 * Hands the result to the recorder, gives the delivery's slot back and waits until the result is written (to log
	 * a failure; the delivery is due again when its lease ends). With {@link #UNWRITTEN} results already waiting, the
	 * slot stays taken until the recorder takes some, so a slow database slows the claiming instead of piling results
	 * up.
	 */
	private void record(Claimed delivery, Slot slot, List<Deliveries.Attempt> attempts, String status,
			@Nullable Instant nextAttemptAt, @Nullable Integer statusCode, @Nullable String error,
			@Nullable Outcome outcome) {
		Finished result = new Finished(delivery, attempts, new Deliveries.Finish(delivery.id(), delivery.claim(),
				status, nextAttemptAt, statusCode, error), outcome, new CompletableFuture<>());
		if (recording) {
			try {
				finished.put(result);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("stopped before the result was queued", ex);
			}
			slot.free();
			try {
				// past the lease the delivery is due again anyway
				result.written().get(properties.lease().toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				throw ex.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex);
			}
			catch (TimeoutException ex) {
				throw new IllegalStateException("the result was not written within the lease", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("stopped before the result was written", ex);
			}
		}
		else {
			write(List.of(result));
		}
		meters.counter("walleye.webhooks.attempts", "result", status).increment();
	}

	/**
	 * Writes finished attempts in groups, one transaction (one WAL flush) for all that finished meanwhile: at a
	 * thousand deliveries a second, a transaction each would cost the database as much as the charges themselves.
	 * When a group fails, each is written alone, so one bad result cannot lose the others.
	 */
	private void recordFinished() {
		List<Finished> batch = new ArrayList<>(RECORD_BATCH);
		while (recording || !finished.isEmpty()) {
			batch.clear();
			try {
				Finished first = finished.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			finished.drainTo(batch, RECORD_BATCH - 1);
			try {
				write(batch);
				batch.forEach(result -> result.written().complete(null));
			}
			catch (RuntimeException groupFailed) {
				DatabaseFault fault = DatabaseFault.of(groupFailed);
				for (Finished result : batch) {
					if (fault != null && fault.affectsEveryone()) {
						result.written().completeExceptionally(groupFailed);
						continue;
					}
					try {
						write(List.of(result));
						result.written().complete(null);
					}
					catch (RuntimeException failed) {
						result.written().completeExceptionally(failed);
					}
				}
			}
		}
	}

	private void write(List<Finished> results) {
		Instant now = now();
		transactions.executeWithoutResult(tx -> {
			deliveries.recordAttempts(results.stream().flatMap(result -> result.attempts().stream()).toList());
			// a claim lost meanwhile (the lease ran out and another worker took the delivery): its result counts
			Set<UUID> ended = deliveries.finish(results.stream().map(Finished::finish).toList(), now);
			List<Finished> counted = results.stream()
				.filter(result -> result.outcome() != null && ended.contains(result.delivery().id()))
				.sorted(Comparator.comparing(result -> result.delivery().endpointId()))
				.toList();
			endpoints.succeeded(counted.stream()
				.filter(result -> result.outcome() == Outcome.SUCCEEDED)
				.map(result -> result.delivery().endpointId())
				.collect(Collectors.toCollection(TreeSet::new)));
			for (Finished result : counted) {
				if (result.outcome() == Outcome.FAILED) {
					endpoints.failed(result.delivery().endpointId(), properties.maxConsecutiveFailures(), now);
				}
				else if (result.outcome() == Outcome.GONE) {
					endpoints.gone(result.delivery().endpointId(), now);
				}
			}
		});
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}
}
