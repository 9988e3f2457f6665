package io.walleye.wallet;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import io.walleye.platform.Changes;
import io.walleye.wallet.persistence.Operations;
import io.walleye.wallet.persistence.Operations.BalanceUpdate;
import io.walleye.wallet.persistence.Operations.Entry;
import io.walleye.wallet.persistence.Operations.NewOperation;
import io.walleye.wallet.persistence.Operations.Posting;
import io.walleye.wallet.persistence.WalletRow;

/**
 * The one place that writes money: a decided movement becomes its operation, each wallet's history entry, the
 * double-entry postings and the new balances — written at once, or collected and written as one batch (group
 * commit). Every capability that moves money (charges, refunds, holds) decides, then posts here.
 */
@Component
class Journal {

	static final String DEPOSITS_ACCOUNT = "system:deposits";

	static final String WITHDRAWALS_ACCOUNT = "system:withdrawals";

	/**
	 * Where holds keep reserved money: one sub-account per customer wallet (its legs carry the wallet's id), so the
	 * wallet's balance is the fold of all its legs and its held amount the fold of these.
	 */
	static final String HOLDS_ACCOUNT = "system:holds";

	private final Operations operations;

	private final Clock clock;

	private final Changes changes;

	Journal(Operations operations, Clock clock, Changes changes) {
		this.operations = operations;
		this.clock = clock;
		this.changes = changes;
	}

	/**
	 * Tells the change feed and webhooks of posted movements, in the same transaction: per wallet entry an
	 * {@code operation.accepted} or {@code operation.rejected} with the history's item as that wallet's owner sees
	 * it, and {@code refund.created} beside an accepted refund. A movement that brings its views (a charge: its
	 * decider holds both wallets with their owners) is announced from them; any other is read back once written.
	 */
	private void announce(List<Movement> movements) {
		for (Movement movement : movements) {
			List<Operations.Posted> views = movement.views();
			if (views.isEmpty()) {
				List<Map.Entry<UUID, UUID>> entries = new ArrayList<>(movement.entries().size());
				movement.entries().forEach(entry -> entries.add(Map.entry(entry.walletId(), movement.operation().id())));
				views = operations.posted(entries);
			}
			for (Operations.Posted posted : views) {
				OperationView view = posted.view();
				changes.emit("operation." + view.status(), posted.ownerId(), view);
				if (view.type().equals("refund") && view.status().equals("accepted")) {
					changes.emit("refund.created", posted.ownerId(), view);
				}
			}
		}
	}

	/**
	 * The instant an operation decided now is stamped with, cut to the microseconds PostgreSQL keeps, so that the
	 * answer, the 402 problem, history, CSV and {@code balance?at=} all carry the same one (the database would round
	 * the nanoseconds instead).
	 */
	Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	/**
	 * One side of a movement: a wallet with its balance and held amount after the movement (the held amount does not
	 * change in a plain movement), or a system account.
	 */
	record Side(String account, @Nullable UUID walletId, long balanceAfter, long heldAfter) {

		static Side wallet(WalletRow wallet, long balanceAfter) {
			return new Side("wallet", wallet.id(), balanceAfter, wallet.held());
		}

		static Side system(String account) {
			return new Side(account, null, 0, 0);
		}
	}

	/**
	 * A decided movement as it will be stored: postings and balance updates only when it was accepted. {@code views}
	 * are its history items as each entry's wallet owner sees them, in the entries' order, when the decider knows
	 * them (empty: read back after writing).
	 */
	record Movement(NewOperation operation, List<Entry> entries, List<Posting> postings,
			List<BalanceUpdate> balances, List<Operations.Posted> views) {

		Movement(NewOperation operation, List<Entry> entries, List<Posting> postings, List<BalanceUpdate> balances) {
			this(operation, entries, postings, balances, List.of());
		}

		/** The same movement with its history items, one per entry in the entries' order. */
		Movement announcing(List<Operations.Posted> views) {
			if (views.size() != entries.size()) {
				throw new IllegalArgumentException(views.size() + " views for " + entries.size() + " entries");
			}
			return new Movement(operation, entries, postings, balances, List.copyOf(views));
		}

		/** The operation's amount moves from one side to the other; a rejected one only leaves history entries. */
		static Movement of(NewOperation operation, Side from, Side to) {
			long amount = operation.amount();
			boolean accepted = operation.status().equals("accepted");
			List<Entry> entries = new ArrayList<>(2);
			List<Posting> postings = new ArrayList<>(2);
			List<BalanceUpdate> balances = new ArrayList<>(2);
			for (Side side : List.of(from, to)) {
				boolean debit = side == from;
				UUID wallet = side.walletId();
				if (wallet != null) {
					entries.add(new Entry(wallet, debit ? "debit" : "credit", amount, side.balanceAfter(),
							side.heldAfter()));
				}
				if (accepted) {
					postings.add(new Posting(side.account(), wallet, debit ? -amount : amount));
					if (wallet != null) {
						balances.add(new BalanceUpdate(wallet, side.balanceAfter(), side.heldAfter()));
					}
				}
			}
			return new Movement(operation, List.copyOf(entries), List.copyOf(postings), List.copyOf(balances));
		}
	}

	/** Where decided movements go: written at once, or collected for a batch's bulk write. */
	sealed interface Sink permits Direct, Batch {

		Optional<UUID> acceptedCharge(UUID businessId, String invoice);

		/** False when an accepted charge of the invoice exists: nothing is written then. */
		boolean append(Movement movement);
	}

	/** Writes each movement in its own statement, in the caller's transaction. */
	Sink direct() {
		return new Direct();
	}

	/**
	 * Collects a batch's movements; knows the invoices already accepted among these, in the database or earlier in
	 * the batch. The caller must hold the businesses' wallet locks, so no other transaction accepts one meanwhile.
	 */
	Batch batch(Collection<UUID> businesses, Collection<String> invoices) {
		return new Batch(invoices.isEmpty() ? Map.of() : operations.acceptedCharges(businesses, invoices));
	}

	/** Whether the operation takes its invoice for good (the partial unique index on accepted charges and holds). */
	private static boolean usesInvoice(NewOperation operation) {
		return operation.status().equals("accepted")
				&& (operation.type().equals("charge") || operation.type().equals("hold"));
	}

	final class Direct implements Sink {

		@Override
		public Optional<UUID> acceptedCharge(UUID businessId, String invoice) {
			return operations.acceptedCharge(businessId, invoice);
		}

		@Override
		public boolean append(Movement movement) {
			boolean written = operations.append(movement.operation(), movement.entries(), movement.postings(),
					movement.balances());
			if (written) {
				announce(List.of(movement));
			}
			return written;
		}
	}

	final class Batch implements Sink {

		private final Map<String, UUID> accepted;

		private final List<Operations.Write> writes = new ArrayList<>();

		/** Each changed wallet's last update in the batch: its final balance and held amount. */
		private final Map<UUID, BalanceUpdate> last = new LinkedHashMap<>();

		private final List<Movement> movements = new ArrayList<>();

		private Batch(Map<String, UUID> accepted) {
			this.accepted = new HashMap<>(accepted);
		}

		@Override
		public Optional<UUID> acceptedCharge(UUID businessId, String invoice) {
			return Optional.ofNullable(accepted.get(Operations.invoiceKey(businessId, invoice)));
		}

		@Override
		public boolean append(Movement movement) {
			NewOperation operation = movement.operation();
			// Only accepted charges and holds use up an invoice: a capture or release carries its hold's invoice.
			if (usesInvoice(operation)) {
				String key = Operations.invoiceKey(operation.businessId(), operation.invoice());
				if (accepted.containsKey(key)) {
					return false;
				}
				accepted.put(key, operation.id());
			}
			writes.add(new Operations.Write(operation, movement.entries(), movement.postings()));
			movements.add(movement);
			movement.balances().forEach(balance -> last.put(balance.walletId(), balance));
			return true;
		}

		/**
		 * The whole batch in one statement, with the final balance of each wallet it changed; the partial unique
		 * index on accepted invoices still has the last word (a violation fails the batch).
		 */
		void write() {
			operations.appendAll(writes, List.copyOf(last.values()), now());
			announce(movements);
		}
	}
}
