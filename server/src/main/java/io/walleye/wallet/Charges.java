package io.walleye.wallet;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.walleye.identity.Principal;
import io.walleye.platform.ApiException;
import io.walleye.platform.DatabaseFault;
import io.walleye.platform.DatabaseTimeouts;

/**
 * Charges and hold commands, optionally by group commit ({@code walleye.wallet.group-commit.enabled}): instead of one
 * transaction and one WAL flush per command, a single writer per shard takes the commands queued for its businesses
 * (charges, authorisations, captures, voids), decides them in order in one transaction ({@link Movements#decideBatch})
 * and answers each only after that commit. A business always maps to the same shard, so its commands keep their
 * arrival order. When a batch fails as a whole, each of its commands is decided alone, so one bad command cannot sink
 * the others. Disabled, every command is its own transaction.
 */
@Service
public class Charges implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Charges.class);

	private final Movements movements;

	private final WalletProperties.GroupCommit settings;

	private final List<BlockingQueue<Pending>> queues = new ArrayList<>();

	private final List<Thread> writers = new ArrayList<>();

	private volatile boolean running;

	private final java.util.concurrent.atomic.AtomicLong batches = new java.util.concurrent.atomic.AtomicLong();

	private final java.util.concurrent.atomic.AtomicLong fallbacks = new java.util.concurrent.atomic.AtomicLong();

	/** How long a caller waits for its writer: a stalled database must cost it a 503, not a hung request. */
	private final Duration handOffWait;

	Charges(Movements movements, WalletProperties properties, DatabaseTimeouts timeouts) {
		this.movements = movements;
		this.settings = properties.groupCommit();
		this.handOffWait = timeouts.handOffWait();
	}

	private record Pending(WalletCommand command, CompletableFuture<Object> result) {
	}

	public Outcome charge(Principal business, @Nullable String walletToken, @Nullable BigDecimal amount,
			@Nullable String invoice, @Nullable String description) {
		if (!batching()) {
			return movements.charge(business, walletToken, amount, invoice, description);
		}
		return submit(Movements.checkCharge(business, walletToken, amount, invoice, description));
	}

	/**
	 * Decides a checked command in its business's next batch and answers after that batch's commit: the outcome, or
	 * the refusal thrown. Called inside a transaction, or with the group commit off, it is decided alone in the
	 * caller's transaction (or its own).
	 */
	public Outcome submit(WalletCommand command) {
		if (!batching()) {
			return movements.decideAlone(command);
		}
		Pending pending = new Pending(command, new CompletableFuture<>());
		BlockingQueue<Pending> queue = queues.get(Math.floorMod(command.business().id().hashCode(), queues.size()));
		queue.add(pending);
		Object result;
		try {
			result = pending.result().get(handOffWait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw ex.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unavailable(command);
		}
		catch (TimeoutException ex) {
			if (queue.remove(pending)) {
				// Taken back before any writer saw it: certainly not charged, so the plain timeout is the truth.
				throw DatabaseFault.timedOut();
			}
			// The writer may still commit it: the client must check the history (or retry with an Idempotency-Key).
			throw unavailable(command);
		}
		if (result instanceof RuntimeException refused) {
			throw refused;
		}
		return (Outcome) result;
	}

	private void write(BlockingQueue<Pending> queue) {
		List<Pending> batch = new ArrayList<>(settings.maxBatch());
		while (running) {
			batch.clear();
			try {
				batch.add(queue.take());
			}
			catch (InterruptedException ex) {
				return;
			}
			queue.drainTo(batch, settings.maxBatch() - 1);
			batches.incrementAndGet();
			try {
				List<Object> results = decide(batch.stream().map(Pending::command).toList(), null);
				for (int i = 0; i < batch.size(); i++) {
					batch.get(i).result().complete(results.get(i));
				}
			}
			catch (RuntimeException everyone) {
				batch.forEach(pending -> pending.result().completeExceptionally(everyone));
			}
		}
	}

	/**
	 * Decides commands in order in one transaction; each result is an {@link Outcome} or the exception refusing that
	 * command alone. When the batch fails as a whole, each command is decided in its own transaction, so one bad
	 * command cannot sink the others; a database that is down or stalled fails them all at once instead (thrown),
	 * since each alone would wait as long again. The group commit's writers and bulk charges both decide here;
	 * {@code lockWait} (when given) replaces the pool's lock_timeout for the batch's locks.
	 */
	List<Object> decide(List<? extends WalletCommand> batch, @Nullable Duration lockWait) {
		try {
			return movements.decideBatch(batch, lockWait);
		}
		catch (RuntimeException batchFailed) {
			DatabaseFault fault = DatabaseFault.of(batchFailed);
			if (fault != null && fault.affectsEveryone()) {
				log.warn("A batch of {} commands failed: the database is {}", batch.size(), fault);
				throw fault.problem();
			}
			log.warn("A batch of {} commands failed ({}); deciding each on its own", batch.size(),
					batchFailed.getClass().getSimpleName());
			fallbacks.incrementAndGet();
			List<Object> results = new ArrayList<>(batch.size());
			for (WalletCommand command : batch) {
				try {
					results.add(movements.decideAlone(command));
				}
				catch (RuntimeException failed) {
					results.add(failed);
				}
			}
			return results;
		}
	}

	/**
	 * Whether a command from this thread goes to a writer's batch. Not when the caller is inside a transaction (an
	 * Idempotency-Key's): the command must commit or roll back with it, which a batch's transaction of its own would
	 * not.
	 */
	private boolean batching() {
		return running && !TransactionSynchronizationManager.isActualTransactionActive();
	}

	/** Batches that failed as a whole and were decided one command at a time. */
	public long fallbacks() {
		return fallbacks.get();
	}

	/** Transactions the writers have run so far (fewer than the charges when batching works). */
	public long batches() {
		return batches.get();
	}

	private static ApiException unavailable(WalletCommand command) {
		String what = command instanceof ChargeCommand ? "charge" : "hold";
		return ApiException.serviceUnavailable(what + "_not_confirmed",
				"The " + what + " command was not confirmed in time; look for it in the history, or retry with the "
						+ "same Idempotency-Key");
	}

	@Override
	public void start() {
		if (!settings.enabled()) {
			return;
		}
		for (int shard = 0; shard < Math.max(1, settings.shards()); shard++) {
			BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
			queues.add(queue);
			Thread writer = Thread.ofPlatform().daemon().name("charge-writer-" + shard).unstarted(() -> write(queue));
			writers.add(writer);
		}
		running = true;
		writers.forEach(Thread::start);
		log.info("Group commit of charges on: {} shards, batches of up to {}", queues.size(), settings.maxBatch());
	}

	/** Stopped after the web server has drained its requests (a higher phase stops first), before the database. */
	@Override
	public int getPhase() {
		return 0;
	}

	@Override
	public void stop() {
		running = false;
		writers.forEach(Thread::interrupt);
		for (Thread writer : writers) {
			try {
				// Let a batch being written finish and answer its requests.
				writer.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		for (BlockingQueue<Pending> queue : queues) {
			Pending pending;
			while ((pending = queue.poll()) != null) {
				pending.result().completeExceptionally(unavailable(pending.command()));
			}
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}
}
