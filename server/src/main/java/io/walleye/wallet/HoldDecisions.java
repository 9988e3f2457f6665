package io.walleye.wallet;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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

import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;
import io.walleye.platform.ApiException;
import io.walleye.platform.Changes;
import io.walleye.platform.FieldError;
import io.walleye.platform.Ids;
import io.walleye.wallet.Journal.Movement;
import io.walleye.wallet.WalletCommand.Authorise;
import io.walleye.wallet.WalletCommand.Capture;
import io.walleye.wallet.WalletCommand.VoidHold;
import io.walleye.wallet.domain.Money;
import io.walleye.wallet.persistence.HoldsTable;
import io.walleye.wallet.persistence.Operations;
import io.walleye.wallet.persistence.HoldsTable.HoldRow;
import io.walleye.wallet.persistence.Operations.BalanceUpdate;
import io.walleye.wallet.persistence.Operations.Entry;
import io.walleye.wallet.persistence.Operations.NewOperation;
import io.walleye.wallet.persistence.Operations.Posting;
import io.walleye.wallet.persistence.WalletRow;

/**
 * The rules of holds, once: how an authorisation, a capture, a void and an expiry are decided against the wallets and
 * holds a transaction has locked ({@link Books}, {@link Round}), and what each posts through the {@link Journal}. A
 * transaction of one command ({@link Holds}) and a group-commit batch ({@link Movements#decideBatch}) both decide
 * here; the hold rows a transaction changed are written together at its end ({@link Round#write}).
 */
@Component
class HoldDecisions {

	private final HoldsTable holds;

	private final Journal journal;

	private final WalletProperties properties;

	private final Ids ids;

	private final Changes changes;

	HoldDecisions(HoldsTable holds, Journal journal, WalletProperties properties, Ids ids, Changes changes) {
		this.holds = holds;
		this.journal = journal;
		this.properties = properties;
		this.ids = ids;
		this.changes = changes;
	}

	/** Checks an authorisation's fields before it is queued, as a charge's. */
	Authorise checkAuthorise(Principal business, @Nullable String walletToken, @Nullable BigDecimal amount,
			@Nullable String invoice, @Nullable String description, @Nullable String expiresIn) {
		ChargeCommand fields = Movements.checkCharge(business, walletToken, amount, invoice, description);
		return new Authorise(business, fields.walletToken(), fields.amount(), fields.invoice(), fields.description(),
				life(expiresIn));
	}

	static Capture checkCapture(Principal business, UUID holdId, @Nullable BigDecimal amount, boolean last) {
		Checks.requireType(business, PrincipalType.BUSINESS);
		return new Capture(business, holdId, amount, last);
	}

	static VoidHold checkVoid(Principal business, UUID holdId) {
		Checks.requireType(business, PrincipalType.BUSINESS);
		return new VoidHold(business, holdId);
	}

	/**
	 * Locks the holds that these commands change, in one statement in id order, with their captures so far. Taken
	 * before any wallet lock by every transaction that changes a hold, so captures, voids, batches and the sweeper
	 * queue on the hold instead of deadlocking on its wallets.
	 */
	Round lock(Collection<UUID> holdIds) {
		return round(holds.lockAll(holdIds));
	}

	/** The holds already locked (the sweeper's due ones), with their captures so far. */
	Round round(List<HoldRow> locked) {
		List<UUID> lockedIds = locked.stream().map(HoldRow::id).toList();
		return new Round(locked, holds.captures(lockedIds));
	}

	/**
	 * Reserves the amount of the customer's available funds for the business: the customer's leg moves to its holds
	 * sub-account. Short of available funds the attempt is stored as rejected (402) in both histories, as for a
	 * charge; an invoice already charged or held is a duplicate.
	 */
	Outcome authorise(Authorise command, Books books, Journal.Sink sink, Round round) {
		Principal business = command.business();
		Checks.Parties parties = Checks.parties(books.byToken(command.walletToken()),
				books.byBusiness(business.id()));
		WalletRow customer = books.wallet(parties.payer().wallet().id());
		WalletRow shop = books.wallet(parties.payee().wallet().id());
		long minor = Checks.amount(command.amount(), customer.currency(), properties.maxAmount()).minor();
		boolean funded = Movements.available(customer) >= minor;
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
		if (!sink.append(announcing(movement, books, customer.id(), shop.id()))) {
			return new Outcome.DuplicateInvoice(sink.acceptedCharge(business.id(), command.invoice())
				.orElseThrow(() -> new IllegalStateException("hold refused by a unique index, but no original")));
		}
		if (!funded) {
			return new Outcome.Rejected(Movements.view(operation, shop, "credit", shop.balance(), shop.held(),
					books.counterparty(customer.id())));
		}
		books.set(customer, customer.balance(), heldAfter);
		HoldRow hold = new HoldRow(operation.id(), business.id(), customer.id(), customer.token(), shop.id(),
				"pending", minor, 0, customer.currency(), command.invoice(), command.description(), now,
				now.plus(command.life()).truncatedTo(ChronoUnit.MICROS), now);
		HoldView view = round.change(hold);
		announce("hold.created", view, hold, customer.ownerId());
		return new Outcome.Held(view, true);
	}

	/**
	 * Takes the amount (default: all that remains) of a pending hold for the business: the money moves from the
	 * customer's holds sub-account to the business's wallet, as a {@code capture} operation refundable like a charge.
	 * A {@code last} capture closes the hold and releases what it leaves, as does one that takes the rest.
	 */
	Outcome capture(Capture command, Books books, Journal.Sink sink, Round round) {
		HoldRow hold = round.held(command.business(), command.holdId());
		// Stamped after the locks (so a wallet's entries are in commit order) and judged by that same instant.
		Instant now = journal.now();
		requirePending(hold, now);
		long remaining = hold.remaining();
		long minor = command.amount() == null ? remaining
				: Checks.amount(command.amount(), hold.currency(), properties.maxAmount()).minor();
		if (minor > remaining) {
			throw ApiException.unprocessable("capture_exceeds_hold",
					"At most " + Money.format(remaining, hold.currency()) + " remains on this hold")
				.with("remaining", Money.format(remaining, hold.currency()));
		}
		WalletRow customer = books.wallet(hold.walletId());
		WalletRow shop = books.wallet(hold.businessWalletId());
		long shopAfter = Checks.credit(shop.balance(), minor);
		List<UUID> opIds = orderedIds(2);
		NewOperation operation = new NewOperation(opIds.get(0), "capture", "accepted", null, minor, hold.currency(),
				customer.id(), shop.id(), hold.businessId(), hold.invoice(), hold.description(), null, now, hold.id());
		WalletRow customerAfter = books.set(customer, customer.balance() - minor, customer.held() - minor);
		WalletRow shopNow = books.set(shop, shopAfter, shop.held());
		sink.append(announcing(new Movement(operation,
				List.of(new Entry(customer.id(), "debit", minor, customerAfter.balance(), customerAfter.held()),
						new Entry(shop.id(), "credit", minor, shopAfter, shop.held())),
				List.of(new Posting(Journal.HOLDS_ACCOUNT, customer.id(), -minor), new Posting("wallet", shop.id(), minor)),
				List.of(new BalanceUpdate(customer.id(), customerAfter.balance(), customerAfter.held()),
						new BalanceUpdate(shop.id(), shopAfter, shop.held()))), books, customer.id(), shop.id()));
		round.captured(hold, operation);
		long captured = hold.captured() + minor;
		if (command.last() && captured < hold.amount()) {
			release(hold, hold.amount() - captured, "hold_void", "The rest, released by the final capture", books,
					sink, opIds.get(1), now);
		}
		HoldRow after = changed(hold, command.last() || captured == hold.amount() ? "captured" : "pending", captured,
				now);
		announce("hold.captured", round.change(after), after, customer.ownerId());
		return new Outcome.Accepted(Movements.view(operation, shopNow, "credit", shopAfter, shop.held(),
				books.counterparty(customer.id())));
	}

	/** Releases all that a pending hold still reserves back to the customer's available funds; the hold is voided. */
	Outcome voidHold(VoidHold command, Books books, Journal.Sink sink, Round round) {
		HoldRow hold = round.held(command.business(), command.holdId());
		Instant now = journal.now();
		requirePending(hold, now);
		release(hold, hold.remaining(), "hold_void", null, books, sink, ids.next(), now);
		HoldRow after = changed(hold, "voided", hold.captured(), now);
		HoldView view = round.change(after);
		announce("hold.voided", view, after, books.wallet(hold.walletId()).ownerId());
		return new Outcome.Held(view, false);
	}

	/** Expires pending holds past their deadline: each releases what it reserves as a {@code hold_expired}. */
	void expire(List<HoldRow> due, Books books, Journal.Sink sink, Round round) {
		Instant now = journal.now();
		List<UUID> opIds = orderedIds(due.size());
		for (int i = 0; i < due.size(); i++) {
			HoldRow hold = due.get(i);
			release(hold, hold.remaining(), "hold_expired", null, books, sink, opIds.get(i), now);
			HoldRow after = changed(hold, "expired", hold.captured(), now);
			announce("hold.expired", round.change(after), after, books.wallet(hold.walletId()).ownerId());
		}
	}

	/**
	 * The hold as it now is, to the outbox (webhooks and the change feed) in this transaction: once for the business,
	 * once for the customer whose money it reserves, as operations are announced once per wallet.
	 */
	private void announce(String type, HoldView view, HoldRow hold, UUID customer) {
		changes.emit(type, hold.businessId(), view);
		changes.emit(type, customer, view);
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
			Journal.Sink sink, UUID operationId, Instant now) {
		WalletRow customer = books.wallet(hold.walletId());
		WalletRow shop = books.wallet(hold.businessWalletId());
		NewOperation operation = new NewOperation(operationId, type, "accepted", null, amount, hold.currency(),
				shop.id(), customer.id(), hold.businessId(), hold.invoice(), description, null, now, hold.id());
		WalletRow after = books.set(customer, customer.balance(), customer.held() - amount);
		sink.append(announcing(new Movement(operation,
				List.of(new Entry(customer.id(), "credit", amount, after.balance(), after.held()),
						new Entry(shop.id(), "debit", amount, shop.balance(), shop.held())),
				List.of(new Posting(Journal.HOLDS_ACCOUNT, customer.id(), -amount),
						new Posting("wallet", customer.id(), amount)),
				List.of(new BalanceUpdate(customer.id(), after.balance(), after.held()))), books, customer.id(),
				shop.id()));
	}

	/**
	 * The movement with its history items as each wallet's owner sees them, built from the locked wallets (as a
	 * charge's are), so the batch need not read them back to announce them.
	 */
	private static Movement announcing(Movement movement, Books books, UUID customerId, UUID shopId) {
		List<Operations.Posted> views = new ArrayList<>(movement.entries().size());
		for (Entry entry : movement.entries()) {
			WalletRow wallet = books.wallet(entry.walletId());
			UUID other = entry.walletId().equals(customerId) ? shopId : customerId;
			views.add(new Operations.Posted(wallet.ownerId(), Movements.view(movement.operation(), wallet,
					entry.direction(), entry.balanceAfter(), entry.heldAfter(), books.counterparty(other))));
		}
		return movement.announcing(views);
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

	private static HoldRow changed(HoldRow hold, String status, long captured, Instant now) {
		return new HoldRow(hold.id(), hold.businessId(), hold.walletId(), hold.walletToken(), hold.businessWalletId(),
				status, hold.amount(), captured, hold.currency(), hold.invoice(), hold.description(), hold.createdAt(),
				hold.expiresAt(), now);
	}

	/**
	 * One transaction's holds: those it locked, as its decisions so far left them, with their captures; and those it
	 * created or changed, written in one statement at the end ({@link #write}).
	 */
	final class Round {

		private final Map<UUID, HoldRow> current = new HashMap<>();

		private final Map<UUID, List<HoldView.Capture>> captures = new HashMap<>();

		private final Map<UUID, HoldRow> changed = new LinkedHashMap<>();

		private Round(List<HoldRow> locked, List<HoldsTable.CaptureRow> captureRows) {
			locked.forEach(hold -> current.put(hold.id(), hold));
			for (HoldsTable.CaptureRow row : captureRows) {
				HoldRow hold = current.get(row.holdId());
				if (hold != null) {
					captures.computeIfAbsent(hold.id(), id -> new ArrayList<>())
						.add(HoldQueries.capture(row.id(), row.amount(), hold.currency(), row.createdAt()));
				}
			}
		}

		/** The business's locked hold as it now is; anyone else's (or none) is 404. */
		HoldRow held(Principal business, UUID holdId) {
			HoldRow hold = current.get(holdId);
			if (hold == null || !hold.businessId().equals(business.id())) {
				throw ApiException.notFound("hold_not_found", "You have no hold with this id");
			}
			return hold;
		}

		void captured(HoldRow hold, NewOperation capture) {
			captures.computeIfAbsent(hold.id(), id -> new ArrayList<>())
				.add(HoldQueries.capture(capture.id(), capture.amount(), hold.currency(), capture.createdAt()));
		}

		/** Adds the two wallets of the locked hold {@code id} (if it is locked) to {@code ids}. */
		void walletsOf(UUID id, Collection<UUID> ids) {
			HoldRow hold = current.get(id);
			if (hold != null) {
				ids.add(hold.walletId());
				ids.add(hold.businessWalletId());
			}
		}

		/** Records the hold's new state, to be written; its view as of now. */
		HoldView change(HoldRow hold) {
			current.put(hold.id(), hold);
			changed.put(hold.id(), hold);
			return HoldQueries.view(hold, captures.getOrDefault(hold.id(), List.of()));
		}

		/** Writes every hold created or changed, after the operations that point at them. */
		void write() {
			holds.write(changed.values());
		}
	}
}
