package io.walleye.wallet;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;
import io.walleye.platform.ApiException;
import io.walleye.platform.DatabaseTimeouts;
import io.walleye.platform.FieldError;

/**
 * Many charges of one business in one request (a billing run). Each item is checked and decided exactly as a single
 * charge ({@link Movements#decideBatch}, the group commit's decision), all of them in one transaction and one commit;
 * an item's refusal is its own result and never touches the others. At most {@link #CONCURRENT_BATCHES} batches are
 * decided at once per process; the others wait their turn outside any transaction.
 */
@Service
public class BulkCharges {

	/** The most charges one request may carry: one transaction locks every wallet it names. */
	public static final int MAX_ITEMS = 1000;

	/**
	 * Batches this process decides at once. Batches of one business to uniformly chosen customers overlap in most
	 * wallets, so a third running batch would only wait on the row locks of the first two while holding a connection
	 * and its own locks; here it waits without either, in arrival order, and its lock wait stays one batch long.
	 */
	static final int CONCURRENT_BATCHES = 2;

	private final Semaphore running = new Semaphore(CONCURRENT_BATCHES, true);

	/** How long a batch waits for its turn: a connection's and one statement's worth, as a queued single charge. */
	private final Duration turnWait;

	private final Movements movements;

	private final Charges charges;

	/**
	 * How long a batch waits for its wallets' locks: batches touching the same wallets take turns, and a lock timeout
	 * would otherwise send a thousand charges down the one-transaction-each fallback.
	 */
	private final Duration lockWait;

	BulkCharges(Movements movements, Charges charges, DatabaseTimeouts timeouts) {
		this.movements = movements;
		this.charges = charges;
		this.lockWait = timeouts.statementTimeout();
		this.turnWait = timeouts.handOffWait();
	}

	/** One charge of a batch as the client sent it; its amount is read here so that a bad one is refused alone. */
	public record Item(@Nullable String walletToken, @Nullable Amount amount, @Nullable String invoice,
			@Nullable String description) {
	}

	/**
	 * Decides the items in their own transaction; should that fail as a whole, each item is retried alone. Each
	 * result, in the items' order, is an {@link Outcome} or the {@link RuntimeException} refusing that item.
	 */
	public List<Object> charge(Principal business, @Nullable List<Item> items) {
		return decide(business, items, commands -> charges.decide(commands, lockWait));
	}

	/**
	 * Decides the items in the caller's transaction (an Idempotency-Key's): all of them commit with it or none does,
	 * so a failure of the whole batch fails the request and a retry with the same key starts afresh.
	 */
	public List<Object> chargeInTransaction(Principal business, @Nullable List<Item> items) {
		return decide(business, items, commands -> movements.decideBatch(commands, lockWait));
	}

	/** 400 for a missing or empty list, 413 {@code too_many_items} past {@link #MAX_ITEMS}: nothing is decided. */
	public static <T extends @Nullable Object> List<T> checkSize(@Nullable List<T> items) {
		if (items == null || items.isEmpty()) {
			throw Checks.validation(List.of(FieldError.of("items", "must hold 1 to " + MAX_ITEMS + " charges")));
		}
		if (items.size() > MAX_ITEMS) {
			throw ApiException.payloadTooLarge("too_many_items",
					"A batch may carry at most " + MAX_ITEMS + " charges; split it");
		}
		return items;
	}

	private List<Object> decide(Principal business, @Nullable List<Item> batch,
			Function<List<ChargeCommand>, List<Object>> decider) {
		List<Item> items = checkSize(batch);
		Checks.requireType(business, PrincipalType.BUSINESS);
		Object[] results = new Object[items.size()];
		List<ChargeCommand> commands = new ArrayList<>(items.size());
		List<Integer> positions = new ArrayList<>(items.size());
		for (int i = 0; i < items.size(); i++) {
			try {
				commands.add(check(business, items.get(i)));
				positions.add(i);
			}
			catch (ApiException refused) {
				results[i] = refused;
			}
		}
		if (!commands.isEmpty()) {
			List<Object> decided = inTurn(() -> decider.apply(commands));
			for (int j = 0; j < positions.size(); j++) {
				results[positions.get(j)] = decided.get(j);
			}
		}
		return Arrays.asList(results);
	}

	/** Batches waiting for a turn now (an estimate, for tests and monitoring). */
	int waitingForTurn() {
		return running.getQueueLength();
	}

	/** Runs {@code batch} once a turn is free; 503 {@code bulk_charges_busy}, nothing charged, when none comes in time. */
	private List<Object> inTurn(Supplier<List<Object>> batch) {
		boolean turn;
		try {
			turn = running.tryAcquire(turnWait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			turn = false;
		}
		if (!turn) {
			throw ApiException.serviceUnavailable("bulk_charges_busy",
					"Other batches of charges are being decided; nothing was charged, send this batch again shortly");
		}
		try {
			return batch.get();
		}
		finally {
			running.release();
		}
	}

	private ChargeCommand check(Principal business, Item item) {
		BigDecimal amount = Amount.decimalOf(item.amount());
		return Movements.checkCharge(business, item.walletToken(), amount, item.invoice(), item.description());
	}
}
