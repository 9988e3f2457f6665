package io.walleye.etl.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.walleye.etl.DatabaseFailure;
import io.walleye.etl.EtlProperties;
import io.walleye.etl.RunResponse;
import io.walleye.etl.RunStatus;
import io.walleye.etl.persistence.EtlDatabase;
import io.walleye.etl.persistence.Runs;
import io.walleye.platform.Changes;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/**
 * Runs ETL work in the worker role: claims unfinished runs (FOR UPDATE SKIP LOCKED, with a lease a heartbeat keeps
 * alive) and drives the three stages of each — extract on its own thread, transform and load behind it — so fetching
 * the next page overlaps with loading the last one. A worker that dies leaves its lease to expire; any worker then
 * continues the run from the stages' committed checkpoints.
 */
@Component
@ConditionalOnRole(Role.WORKER)
public class EtlWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EtlWorker.class);

	private final EtlDatabase db;

	private final Runs runs;

	private final Extractor extractor;

	private final Transformer transformer;

	private final Loader loader;

	private final EtlScheduler scheduler;

	private final EtlProperties properties;

	private final Clock clock;

	private final String owner = "worker-" + UUID.randomUUID();

	private final Set<UUID> active = ConcurrentHashMap.newKeySet();

	private final Changes changes;

	private volatile boolean running;

	private volatile boolean killed;

	private volatile @Nullable ExecutorService executor;

	private volatile @Nullable Thread poller;

	EtlWorker(EtlDatabase db, Runs runs, Extractor extractor, Transformer transformer, Loader loader,
			EtlScheduler scheduler, EtlProperties properties, Clock clock, Changes changes) {
		this.changes = changes;
		this.db = db;
		this.runs = runs;
		this.extractor = extractor;
		this.transformer = transformer;
		this.loader = loader;
		this.scheduler = scheduler;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public synchronized void start() {
		if (running) {
			return;
		}
		running = true;
		killed = false;
		ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("etl-run-", 0).factory());
		executor = pool;
		poller = Thread.ofVirtual().name("etl-poller").start(() -> poll(pool));
	}

	@Override
	public synchronized void stop() {
		halt(false);
	}

	/**
	 * Stops at once without releasing leases or finishing anything — what a killed process leaves behind. For tests
	 * of resumption; {@link #start()} starts the worker again (as a new process would, under another owner name once
	 * its lease expires).
	 */
	public synchronized void kill() {
		halt(true);
	}

	private void halt(boolean kill) {
		if (!running) {
			return;
		}
		running = false;
		killed = kill;
		Thread poller = this.poller;
		ExecutorService executor = this.executor;
		if (poller == null || executor == null) {
			return; // never started
		}
		poller.interrupt();
		executor.shutdownNow();
		try {
			executor.awaitTermination(10, TimeUnit.SECONDS);
			poller.join(Duration.ofSeconds(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** The lease name of this worker, e.g. to tell tests which runs it holds. */
	public String owner() {
		return owner;
	}

	private void poll(ExecutorService executor) {
		while (running) {
			try {
				scheduler.fireDue();
				boolean claimed = false;
				if (active.size() < properties.maxConcurrentRuns()) {
					Optional<Runs.Claimed> run = db.write("etl.worker.claim",
							() -> runs.claim(owner, properties.lease(), clock.instant()));
					if (run.isPresent()) {
						claimed = true;
						// A run whose lease lapsed while this worker still drives it (the database stalled past the
						// lease) is claimed back by the same owner: the driver goes on, a second one would write its
						// pages twice.
						if (active.add(run.get().id())) {
							if (run.get().resumed()) {
								log.info("ETL run {} resumes from its last committed checkpoint", run.get().id());
							}
							executor.submit(() -> execute(run.get(), executor));
						}
					}
				}
				if (!claimed) {
					Thread.sleep(properties.pollInterval());
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				if (!running) {
					return;
				}
				log.warn("ETL worker poll failed; retrying in {}: {}", properties.pollInterval(), ex.toString());
				try {
					Thread.sleep(properties.pollInterval());
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
		}
	}

	/**
	 * Drives one run until it finishes, is cancelled, or this worker stops: extract and transform on their own
	 * threads, load (with the lease's heartbeat) on this one, each taking whatever its input table holds.
	 */
	private void execute(Runs.Claimed run, ExecutorService executor) {
		UUID id = run.id();
		Stage extract = null;
		Stage transform = null;
		// set when the run goes back to the queue (this worker stops, or the database is out): done last, see finally
		boolean release = false;
		try {
			Control control = () -> {
				if (!running || Thread.currentThread().isInterrupted()) {
					throw new InterruptedException("worker stopping");
				}
			};
			if (!db.read("etl.worker.extract-done", () -> runs.isExtractDone(id))) {
				extract = Stage.start(executor, () -> extractor.extract(run, () -> {
					control.check();
					if (cancelled(id)) {
						throw new Control.Stopped("cancelled");
					}
				}));
			}
			Future<?> extraction = extract == null ? null : extract.future;
			transform = Stage.start(executor, () -> transformAll(run, extraction, control));
			Instant lastCheck = clock.instant();
			while (true) {
				control.check();
				if (Duration.between(lastCheck, clock.instant()).compareTo(Duration.ofMillis(500)) > 0) {
					if (!db.write("etl.worker.renew", () -> runs.renew(id, owner, properties.lease(), clock.instant()))) {
						log.info("ETL run {} is no longer held by this worker (cancelled or taken over)", id);
						return;
					}
					lastCheck = clock.instant();
				}
				List<Runs.PendingPage> transformed = db.read("etl.worker.transformed",
						() -> runs.pages(id, "transformed", 20));
				if (!transformed.isEmpty()) {
					loader.load(run, transformed.stream().map(Runs.PendingPage::pageNo).toList());
					continue;
				}
				if (transform.future.isDone()) {
					transform.future.get(); // rethrows what ended extraction or transformation
					if (db.read("etl.worker.transformed", () -> runs.pages(id, "transformed", 1)).isEmpty()) {
						finish(id, RunStatus.SUCCEEDED, null);
						log.info("ETL run {} succeeded", id);
						return;
					}
					continue;
				}
				Thread.sleep(5);
			}
		}
		catch (InterruptedException ex) {
			release = true;
		}
		catch (Exception ex) {
			Throwable cause = ex;
			while (cause instanceof java.util.concurrent.ExecutionException && cause.getCause() != null) {
				cause = cause.getCause();
			}
			if (!running || cause instanceof InterruptedException) {
				release = true;
				return;
			}
			if (cause instanceof Control.Stopped) {
				return; // cancelled: the cancel already finished the run
			}
			if (cause instanceof DatabaseFailure outage && (outage.kind() == DatabaseFailure.Kind.CANNOT_CONNECT
					|| outage.kind() == DatabaseFailure.Kind.TIMED_OUT)) {
				// Not the run's fault: it goes back to the queue (or, if even that cannot be written, its lease
				// expires) and a worker resumes it from its last committed page once the database answers.
				log.warn("ETL run {} paused: {}; it resumes from its last committed page", id, outage.getMessage());
				release = true;
				return;
			}
			String error = cause instanceof ExtractFailure ? cause.getMessage()
					: cause instanceof DatabaseFailure failure ? failure.getMessage()
							: "unexpected error (" + cause.getClass().getSimpleName() + "); see the worker's log";
			log.error("ETL run {} failed: {}", id, error, cause);
			try {
				finish(id, RunStatus.FAILED, error);
			}
			catch (RuntimeException failure) {
				log.error("ETL run {} could not be marked failed; its lease will expire and another worker retry it",
						id, failure);
			}
		}
		finally {
			// The run may be claimed again (by this worker or another process) only once its stages have really
			// ended: a stage still in a statement (blocked, or retrying after an outage) would otherwise write pages
			// beside the resumed run's. So the stages are stopped and waited for first, and the lease is released
			// after them; a stage that does not end keeps the lease until it expires. The interrupt that stopped the
			// run is set aside meanwhile, or the wait and the release would end at once.
			boolean interrupted = Thread.interrupted();
			boolean ended = true;
			for (Stage stage : java.util.Arrays.asList(extract, transform)) {
				if (stage != null) {
					ended &= stage.stop(STAGE_STOP_PATIENCE);
				}
			}
			if (release && ended) {
				// On a thread of its own: the worker's stop interrupts this one (maybe only now), and an interrupted
				// thread's statement has its connection closed under it, so the release would fail and the run wait
				// for its lease to expire.
				Thread releasing = Thread.ofVirtual().name("etl-release").start(() -> leave(id));
				if (!awaitUninterruptibly((timeout, unit) -> releasing.join(Duration.of(timeout, unit.toChronoUnit())),
						STAGE_STOP_PATIENCE)) {
					log.warn("ETL run {}: its release did not finish within {}", id, STAGE_STOP_PATIENCE);
				}
			}
			else if (release) {
				log.warn("ETL run {} keeps its lease until it expires: a stage did not end within {}", id,
						STAGE_STOP_PATIENCE);
			}
			active.remove(id);
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	// As long as stop() waits for the runs to end: a stage that outlasts it keeps the lease until the lease expires.
	private static final Duration STAGE_STOP_PATIENCE = Duration.ofSeconds(10);

	/** A stage of a run on the executor, which can be stopped and waited for, whether or not it had started. */
	private static final class Stage {

		interface Body {

			void run() throws Exception;

		}

		private final java.util.concurrent.atomic.AtomicBoolean taken = new java.util.concurrent.atomic.AtomicBoolean();

		private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

		private Future<?> future = java.util.concurrent.CompletableFuture.completedFuture(null);

		static Stage start(ExecutorService executor, Body body) {
			Stage stage = new Stage();
			stage.future = executor.submit(() -> {
				if (!stage.taken.compareAndSet(false, true)) {
					return null; // stopped before it began
				}
				try {
					body.run();
					return null;
				}
				finally {
					stage.ended.countDown();
				}
			});
			return stage;
		}

		/**
		 * Interrupts the stage and waits until it has ended (it never begins if it had not yet); false if it is still
		 * running after the patience.
		 */
		boolean stop(Duration patience) {
			future.cancel(true);
			if (taken.compareAndSet(false, true)) {
				return true;
			}
			// The thread that waits is itself interrupted when the worker stops (shutdownNow), maybe only now: the wait
			// goes on regardless, or the run would keep its lease because the stop arrived a moment late.
			if (awaitUninterruptibly(ended::await, patience)) {
				return true;
			}
			log.warn("An ETL stage did not end within {} of being stopped", patience);
			return false;
		}
	}

	interface Wait {

		boolean await(long timeout, TimeUnit unit) throws InterruptedException;

	}

	/** Waits up to the patience whatever interrupts arrive meanwhile; the interrupt is kept for the caller. */
	static boolean awaitUninterruptibly(Wait wait, Duration patience) {
		long deadline = System.nanoTime() + patience.toNanos();
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return wait.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Transforms extracted pages as they come, until extraction is done and nothing is left to transform. */
	private void transformAll(Runs.Claimed run, @Nullable Future<?> extract, Control control) throws Exception {
		UUID id = run.id();
		while (true) {
			control.check();
			List<Runs.PendingPage> extracted = db.read("etl.worker.extracted", () -> runs.pages(id, "extracted", 10));
			if (!extracted.isEmpty()) {
				transformer.transform(run, extracted);
				continue;
			}
			if (extract == null || extract.isDone()) {
				if (extract != null) {
					extract.get(); // rethrows what ended extraction
				}
				if (!db.read("etl.worker.extract-done", () -> runs.isExtractDone(id))) {
					throw new Control.Stopped("extraction stopped before its end");
				}
				if (db.read("etl.worker.extracted", () -> runs.pages(id, "extracted", 1)).isEmpty()) {
					return;
				}
				continue;
			}
			Thread.sleep(5);
		}
	}

	private void leave(UUID id) {
		if (!killed) {
			try {
				db.write("etl.worker.release", () -> {
					runs.release(id, owner);
					return null;
				});
			}
			catch (RuntimeException ex) {
				log.warn("ETL run {} not released on stop; its lease expires instead", id);
			}
		}
	}

	private boolean cancelled(UUID id) {
		return db.read("etl.worker.status", () -> runs.status(id)).map(status -> status == RunStatus.CANCELLED)
			.orElse(true);
	}

	/** Ends the run and, in the same transaction, tells the change feed and webhooks ({@code etl.run.<status>}). */
	private void finish(UUID id, RunStatus status, @Nullable String error) {
		db.write("etl.worker." + status.value(), () -> {
			if (runs.finish(id, status, error, clock.instant())) {
				runs.find(id)
					.ifPresent(run -> changes.emit("etl.run." + status.value(), null, RunResponse.of(run)));
			}
			return null;
		});
	}

}
