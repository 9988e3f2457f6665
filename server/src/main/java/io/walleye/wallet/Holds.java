package io.walleye.wallet;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;
import io.walleye.platform.ApiException;
import io.walleye.platform.Changes;
import io.walleye.platform.FieldError;
import io.walleye.platform.Ids;
import io.walleye.wallet.Journal.Movement;
import io.walleye.wallet.domain.Money;
import io.walleye.wallet.persistence.HoldsTable;
import io.walleye.wallet.persistence.HoldsTable.HoldRow;
import io.walleye.wallet.persistence.Operations.BalanceUpdate;
import io.walleye.wallet.persistence.Operations.Entry;
import io.walleye.wallet.persistence.Operations.NewOperation;
import io.walleye.wallet.persistence.Operations.Posting;
import io.walleye.wallet.persistence.WalletRow;
import io.walleye.wallet.persistence.Wallets;

/**
 * Holds: a business reserves money on a customer's wallet now, captures it later (all, part, or in several parts),
 * voids it, or lets it expire. Each change of a hold's state is one method and one transaction ({@link #authorise},
 * {@link #capture}, {@link #voidHold}, {@link #expire}), so that whatever must happen with a state change (an outbox
 * event) has one place to go. A command that changes an existing hold locks the hold's row first and then its two
 * wallets in one statement in id order; money moves only as postings through the {@link Journal}.
 */
@Service
public class Holds {

	private final Wallets wallets;

	private final HoldsTable holds;

	private final HoldQueries queries;

	private final Movements movements;

	private final Journal journal;

	private final WalletProperties properties;

	private final Ids ids;

	private final Changes changes;

	Holds(Wallets wallets, HoldsTable holds, HoldQueries queries, Movements movements, Journal journal,
			WalletProperties properties, Ids ids, Changes changes) {
		this.changes = changes;
		this.wallets = wallets;
		this.holds = holds;
		this.queries = queries;
		this.movements = movements;
		this.journal = journal;
		this.properties = properties;
		this.ids = ids;
	}

	/**
	 * Reserves {@code amount} of the customer's available funds for the business: the customer's leg moves to its
	 * holds sub-account. Short of available funds the attempt is stored as rejected (402) in both histories, as for a
	 * charge; an invoice already charged or held is a duplicate.
	 */
	@Transactional
	public Outcome authorise(Principal business, @Nullable String walletToken, @Nullable BigDecimal amount,
			@Nullable String invoice, @Nullable String description, @Nullable String expiresIn) {
		ChargeCommand command = movements.checkCharge(business, walletToken, amount, invoice, description);
		Duration life = life(expiresIn);
		Wallets.Locked payer = null;
		Wallets.Locked payee = null;
		for (Wallets.Locked row : wallets.lockForCharge(command.walletToken(), business.id())) {
			if (row.wallet().token().equals(command.walletToken())) {
				payer = row;
			}
			if (row.wallet().ownerType().equals("business") && row.wallet().ownerId().equals(business.id())) {
				payee = row;
			}
		}
		Checks.Parties parties = Checks.parties(payer, payee);
		WalletRow customer = parties.payer().wallet();
		WalletRow shop = parties.payee().wallet();
		long minor = Checks.amount(command.amount(), customer.currency(), properties.maxAmount()).minor();
		boolean funded = Movements.available(customer) >= minor;
		Journal.Sink sink = journal.direct();
		if (!funded) {
			// As for a charge: a rejected attempt is stored, unless the invoice is taken (then it is a duplicate).
			Optional<UUID> original = sink.acceptedCharge(business.id(), command.invoice());
			if (original.isPresent()) {
				return new Outcome.DuplicateInvoice(original.get());
			}
		}
		Instant now = journal.now();
		NewOperation operation = new NewOperation(ids.next(), "hold", funded ? "accepted" : "rejected",
				funded ? null : "insufficient_funds", minor, customer.currency(), customer.id(), shop.id(),
				business.id(), command.invoice(), command.description(), null, now, null);
		long heldAfter = funded ? customer.held() + minor : customer.held();
		List<Entry> entries = List.of(new Entry(customer.id(), "debit", minor, customer.balance(), heldAfter),
				new Entry(shop.id(), "credit", minor, shop.balance(), shop.held()));
		Movement movement = funded
				? new Movement(operation, entries, reserve(customer.id(), minor),
						List.of(new BalanceUpdate(customer.id(), customer.balance(), heldAfter)))
				: new Movement(operation, entries, List.of(), List.of());
		if (!sink.append(movement)) {
			return new Outcome.DuplicateInvoice(sink.acceptedCharge(business.id(), command.invoice())
				.orElseThrow(() -> new IllegalStateException("hold refused by a unique index, but no original")));
		}
		if (!funded) {
			return new Outcome.Rejected(Movements.view(operation, shop, "credit", shop.balance(), shop.held(),
					Movements.counterparty(parties.payer())));
		}
		HoldRow hold = new HoldRow(operation.id(), business.id(), customer.id(), customer.token(), shop.id(),
				"pending", minor, 0, customer.currency(), command.invoice(), command.description(), now,
				now.plus(life).truncatedTo(ChronoUnit.MICROS), now);
		holds.insert(hold);
		announce("hold.created", hold.id(), customer.ownerId());
		return new Outcome.Held(queries.view(hold), true);
	}

	/**
	 * Takes {@code amount} (default: all that remains) of a pending hold for the business: the money moves from the
	 * customer's holds sub-account to the business's wallet, as a {@code capture} operation refundable like a charge.
	 * A {@code last} capture closes the hold and releases what it leaves, as does one that takes the rest.
	 */
	@Transactional
	public Outcome capture(Principal business, UUID holdId, @Nullable BigDecimal amount, boolean last) {
		HoldRow hold = lockHold(business, holdId);
		Books books = books(List.of(hold));
		// Stamped after the locks (so a wallet's entries are in commit order) and judged by that same instant.
		Instant now = journal.now();
		requirePending(hold, now);
		long remaining = hold.remaining();
		long minor = amount == null ? remaining
				: Checks.amount(amount, hold.currency(), properties.maxAmount()).minor();
		if (minor > remaining) {
			throw ApiException.unprocessable("capture_exceeds_hold",
					"At most " + Money.format(remaining, hold.currency()) + " remains on this hold")
				.with("remaining", Money.format(remaining, hold.currency()));
		}
		List<UUID> opIds = orderedIds(2);
		WalletRow customer = books.wallet(hold.walletId());
		WalletRow shop = books.wallet(hold.businessWalletId());
		long shopAfter = Checks.credit(shop.balance(), minor);
		NewOperation operation = new NewOperation(opIds.get(0), "capture", "accepted", null, minor, hold.currency(),
				customer.id(), shop.id(), business.id(), hold.invoice(), hold.description(), null, now, hold.id());
		WalletRow customerAfter = books.set(customer, customer.balance() - minor, customer.held() - minor);
		WalletRow shopNow = books.set(shop, shopAfter, shop.held());
		journal.direct()
			.append(new Movement(operation,
					List.of(new Entry(customer.id(), "debit", minor, customerAfter.balance(), customerAfter.held()),
							new Entry(shop.id(), "credit", minor, shopAfter, shop.held())),
					List.of(new Posting(Journal.HOLDS_ACCOUNT, customer.id(), -minor),
							new Posting("wallet", shop.id(), minor)),
					List.of(new BalanceUpdate(customer.id(), customerAfter.balance(), customerAfter.held()),
							new BalanceUpdate(shop.id(), shopAfter, shop.held()))));
		long captured = hold.captured() + minor;
		if (last && captured < hold.amount()) {
			release(hold, hold.amount() - captured, "hold_void", "The rest, released by the final capture", books,
					opIds.get(1), now);
		}
		holds.update(hold.id(), last || captured == hold.amount() ? "captured" : "pending", captured, now);
		announce("hold.captured", hold.id(), customer.ownerId());
		return new Outcome.Accepted(Movements.view(operation, shopNow, "credit", shopAfter, shop.held(),
				books.counterparty(customer.id())));
	}

	/** Releases all that a pending hold still reserves back to the customer's available funds; the hold is voided. */
	@Transactional
	public Outcome voidHold(Principal business, UUID holdId) {
		HoldRow hold = lockHold(business, holdId);
		Books books = books(List.of(hold));
		Instant now = journal.now();
		requirePending(hold, now);
		release(hold, hold.remaining(), "hold_void", null, books, ids.next(), now);
		holds.update(hold.id(), "voided", hold.captured(), now);
		announce("hold.voided", hold.id(), books.wallet(hold.walletId()).ownerId());
		return new Outcome.Held(queries.view(withStatus(hold, "voided", now)), false);
	}

	/**
	 * Expires up to {@code limit} pending holds past their deadline in one transaction (the worker's sweep): each
	 * releases what it reserves and records a {@code hold_expired} operation. Holds a capture or void is deciding
	 * right now are skipped; that command sees the deadline itself. The number expired.
	 */
	@Transactional
	public int expireDue(int limit) {
		List<HoldRow> due = holds.lockDue(journal.now(), limit);
		if (due.isEmpty()) {
			return 0;
		}
		Books books = books(due);
		Instant now = journal.now();
		Iterator<UUID> opIds = orderedIds(due.size()).iterator();
		for (HoldRow hold : due) {
			expire(hold, books, opIds.next(), now);
		}
		return due.size();
	}

	private void expire(HoldRow hold, Books books, UUID operationId, Instant now) {
		release(hold, hold.remaining(), "hold_expired", null, books, operationId, now);
		holds.update(hold.id(), "expired", hold.captured(), now);
		announce("hold.expired", hold.id(), books.wallet(hold.walletId()).ownerId());
	}

	/**
	 * The hold as it now is, to the outbox (webhooks and the change feed) in this transaction: once for the business,
	 * once for the customer whose money it reserves, as operations are announced once per wallet.
	 */
	private void announce(String type, UUID holdId, UUID customer) {
		HoldRow row = holds.find(holdId)
			.orElseThrow(() -> new IllegalStateException("hold " + holdId + " vanished inside its transaction"));
		Object view = queries.view(row);
		changes.emit(type, row.businessId(), view);
		changes.emit(type, customer, view);
	}

	/** The business's hold, locked; anyone else's is 404. */
	private HoldRow lockHold(Principal business, UUID holdId) {
		Checks.requireType(business, PrincipalType.BUSINESS);
		return holds.lock(holdId)
			.filter(found -> found.businessId().equals(business.id()))
			.orElseThrow(() -> ApiException.notFound("hold_not_found", "You have no hold with this id"));
	}

	/** Refuses (409) a hold that may no longer be captured or voided at {@code now}. */
	private static void requirePending(HoldRow hold, Instant now) {
		String status = hold.status();
		// Past its deadline a hold is expired even before the sweeper has released it.
		if (status.equals("pending") && !now.isBefore(hold.expiresAt())) {
			status = "expired";
		}
		switch (status) {
			case "pending" -> {
			}
			case "captured" -> throw ApiException.conflict("hold_captured", "This hold is captured; nothing remains");
			case "voided" -> throw ApiException.conflict("hold_voided", "This hold was voided");
			default -> throw ApiException.conflict("hold_expired",
					"This hold expired at " + hold.expiresAt() + "; its money went back to the wallet");
		}
	}

	/**
	 * Moves {@code amount} from the customer's holds sub-account back to its wallet leg: the balance stays, held
	 * shrinks. Both wallets list it (the business's with its balance unchanged).
	 */
	private void release(HoldRow hold, long amount, String type, @Nullable String description, Books books,
			UUID operationId, Instant now) {
		WalletRow customer = books.wallet(hold.walletId());
		WalletRow shop = books.wallet(hold.businessWalletId());
		NewOperation operation = new NewOperation(operationId, type, "accepted", null, amount, hold.currency(),
				shop.id(), customer.id(), hold.businessId(), hold.invoice(), description, null, now, hold.id());
		WalletRow after = books.set(customer, customer.balance(), customer.held() - amount);
		journal.direct()
			.append(new Movement(operation,
					List.of(new Entry(customer.id(), "credit", amount, after.balance(), after.held()),
							new Entry(shop.id(), "debit", amount, shop.balance(), shop.held())),
					List.of(new Posting(Journal.HOLDS_ACCOUNT, customer.id(), -amount),
							new Posting("wallet", customer.id(), amount)),
					List.of(new BalanceUpdate(customer.id(), after.balance(), after.held()))));
	}

	/** The two legs of a reservation: out of the wallet's own leg, into its holds sub-account. */
	private static List<Posting> reserve(UUID walletId, long amount) {
		return List.of(new Posting("wallet", walletId, -amount), new Posting(Journal.HOLDS_ACCOUNT, walletId, amount));
	}

	private Duration life(@Nullable String expiresIn) {
		if (expiresIn == null) {
			return properties.holds().defaultExpiry();
		}
		Duration life;
		try {
			life = Duration.parse(expiresIn);
		}
		catch (DateTimeParseException ex) {
			throw Checks.validation(List.of(FieldError.of("expires_in", "must be an ISO-8601 duration such as P7D")));
		}
		if (life.compareTo(Duration.ofSeconds(1)) < 0 || life.compareTo(properties.holds().maxExpiry()) > 0) {
			throw Checks.validation(List.of(FieldError.of("expires_in",
					"must be from PT1S to " + properties.holds().maxExpiry())));
		}
		return life;
	}

	/** Fresh ids in the order PostgreSQL sorts them, so operations of one instant list in the order they happened. */
	private List<UUID> orderedIds(int count) {
		List<UUID> fresh = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			fresh.add(ids.next());
		}
		// Time-ordered ids start with a positive timestamp, so Java's signed order is PostgreSQL's byte order here.
		fresh.sort(null);
		return fresh;
	}

	private static HoldRow withStatus(HoldRow hold, String status, Instant now) {
		return new HoldRow(hold.id(), hold.businessId(), hold.walletId(), hold.walletToken(), hold.businessWalletId(),
				status, hold.amount(), hold.captured(), hold.currency(), hold.invoice(), hold.description(),
				hold.createdAt(), hold.expiresAt(), now);
	}

	/** Locks every wallet of these holds in one statement in id order, so batches and single commands never deadlock. */
	private Books books(List<HoldRow> of) {
		Set<UUID> walletIds = new HashSet<>();
		of.forEach(hold -> {
			walletIds.add(hold.walletId());
			walletIds.add(hold.businessWalletId());
		});
		return new Books(wallets.lockWithOwners(walletIds));
	}

	/** The locked wallets of a transaction with their running balances and held amounts. */
	private static final class Books {

		private final Map<UUID, Wallets.Locked> locked = new HashMap<>();

		private final Map<UUID, WalletRow> current = new HashMap<>();

		Books(List<Wallets.Locked> rows) {
			rows.forEach(row -> {
				locked.put(row.wallet().id(), row);
				current.put(row.wallet().id(), row.wallet());
			});
		}

		WalletRow wallet(UUID id) {
			WalletRow row = current.get(id);
			if (row == null) {
				throw new IllegalStateException("wallet " + id + " of a hold is not locked");
			}
			return row;
		}

		WalletRow set(WalletRow wallet, long balance, long held) {
			WalletRow changed = new WalletRow(wallet.id(), wallet.token(), wallet.ownerType(), wallet.ownerId(),
					wallet.currency(), balance, held, wallet.createdAt(), wallet.updatedAt());
			current.put(wallet.id(), changed);
			return changed;
		}

		Counterparty counterparty(UUID id) {
			Wallets.Locked row = locked.get(id);
			if (row == null) {
				throw new IllegalStateException("wallet " + id + " of a hold is not locked");
			}
			return Movements.counterparty(row);
		}
	}
}
