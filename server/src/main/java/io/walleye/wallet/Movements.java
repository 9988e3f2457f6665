package io.walleye.wallet;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;
import io.walleye.platform.ApiException;
import io.walleye.platform.FieldError;
import io.walleye.platform.Ids;
import io.walleye.wallet.Journal.Movement;
import io.walleye.wallet.Journal.Side;
import io.walleye.wallet.domain.Money;
import io.walleye.wallet.persistence.Operations;
import io.walleye.wallet.persistence.Operations.NewOperation;
import io.walleye.wallet.persistence.WalletRow;
import io.walleye.wallet.persistence.Wallets;

/**
 * The money commands: deposits, withdrawals, charges and refunds. Each is one transaction that locks the wallets it
 * touches in id order, decides on the locked balances, and posts the operation (accepted or rejected) through the
 * {@link Journal}.
 */
@Service
public class Movements {

	private final Wallets wallets;

	private final Operations operations;

	private final Journal journal;

	private final WalletProperties properties;

	private final Ids ids;

	private final HoldDecisions holds;

	Movements(Wallets wallets, Operations operations, Journal journal, WalletProperties properties, Ids ids,
			HoldDecisions holds) {
		this.holds = holds;
		this.wallets = wallets;
		this.operations = operations;
		this.journal = journal;
		this.properties = properties;
		this.ids = ids;
	}

	/** Money entering the platform into the caller's wallet. */
	@Transactional
	public Outcome deposit(Principal caller, String token, @Nullable BigDecimal amount, @Nullable String description) {
		WalletRow wallet = Checks.owned(wallets.findByToken(token), caller);
		Money money = amount(amount, wallet);
		Checks.description(description);
		WalletRow locked = wallets.lockInOrder(List.of(wallet.id())).getFirst();
		long after = Checks.credit(locked.balance(), money.minor());
		NewOperation operation = new NewOperation(ids.next(), "deposit", "accepted", null, money.minor(),
				wallet.currency(), null, wallet.id(), null, null, description, null, journal.now(), null);
		journal.direct()
			.append(Movement.of(operation, Side.system(Journal.DEPOSITS_ACCOUNT), Side.wallet(locked, after)));
		return new Outcome.Accepted(view(operation, locked, "credit", after, Counterparty.EXTERNAL));
	}

	/** Money leaving the platform from the caller's wallet; rejected (and stored) when available funds are short. */
	@Transactional
	public Outcome withdraw(Principal caller, String token, @Nullable BigDecimal amount,
			@Nullable String description) {
		WalletRow wallet = Checks.owned(wallets.findByToken(token), caller);
		Money money = amount(amount, wallet);
		Checks.description(description);
		WalletRow locked = wallets.lockInOrder(List.of(wallet.id())).getFirst();
		boolean funded = available(locked) >= money.minor();
		long after = funded ? locked.balance() - money.minor() : locked.balance();
		NewOperation operation = new NewOperation(ids.next(), "withdrawal", funded ? "accepted" : "rejected",
				funded ? null : "insufficient_funds", money.minor(), wallet.currency(), wallet.id(), null, null, null,
				description, null, journal.now(), null);
		journal.direct()
			.append(Movement.of(operation, Side.wallet(locked, after), Side.system(Journal.WITHDRAWALS_ACCOUNT)));
		return outcome(funded, view(operation, locked, "debit", after, Counterparty.EXTERNAL));
	}

	/**
	 * A business charges a customer's wallet. Seen from the business's wallet in the outcome. A second accepted
	 * charge of the same invoice is impossible: the partial unique index on accepted charges refuses it, and the
	 * business wallet's lock makes the attempts of one business queue.
	 */
	@Transactional
	public Outcome charge(Principal business, @Nullable String walletToken, @Nullable BigDecimal amount,
			@Nullable String invoice, @Nullable String description) {
		ChargeCommand command = checkCharge(business, walletToken, amount, invoice, description);
		// One statement finds and locks both sides (in id order); refusals below roll back and release the locks.
		Books books = new Books(wallets.lockForCharge(command.walletToken(), business.id()));
		return decideCharge(command, books, journal.direct());
	}

	/** Checks a charge's fields before it is queued, so that a batch only holds charges worth deciding. */
	static ChargeCommand checkCharge(Principal business, @Nullable String walletToken, @Nullable BigDecimal amount,
			@Nullable String invoice, @Nullable String description) {
		Checks.requireType(business, PrincipalType.BUSINESS);
		List<FieldError> errors = new ArrayList<>();
		if (walletToken == null || walletToken.isBlank()) {
			errors.add(FieldError.of("wallet_token", "is required"));
		}
		if (invoice == null || invoice.isEmpty() || invoice.length() > 64) {
			errors.add(FieldError.of("invoice", "must be 1 to 64 characters"));
		}
		if (amount == null) {
			errors.add(FieldError.of("amount", "is required"));
		}
		if (walletToken == null || invoice == null || amount == null || !errors.isEmpty()) {
			throw Checks.validation(errors);
		}
		Checks.description(description);
		return new ChargeCommand(business, walletToken, amount, invoice, description);
	}

	/**
	 * Decides a batch of commands in order in one transaction (group commit). Locks are taken up front, each kind in
	 * one statement in id order: first the holds that captures and voids change, then every wallet of the batch — the
	 * order of every transaction that changes a hold — so batches and single commands queue, never deadlock. Each
	 * command is decided against the balances and holds the commands before it left; each result is an
	 * {@link Outcome} or the {@link ApiException} that refuses that command alone. Everything is written at the end in
	 * a few array statements. A database failure rolls the whole batch back and propagates: the caller then decides
	 * each command alone ({@link #decideAlone}). {@code lockWait}, when given, replaces the pool's lock_timeout.
	 */
	@Transactional
	public List<Object> decideBatch(List<? extends WalletCommand> batch, java.time.@Nullable Duration lockWait) {
		if (lockWait != null) {
			wallets.waitForLocks(lockWait);
		}
		Set<UUID> holdIds = new HashSet<>();
		Set<String> tokens = new HashSet<>();
		Set<UUID> businesses = new HashSet<>();
		Set<String> invoices = new HashSet<>();
		for (WalletCommand command : batch) {
			businesses.add(command.business().id());
			switch (command) {
				case ChargeCommand charge -> {
					tokens.add(charge.walletToken());
					invoices.add(charge.invoice());
				}
				case WalletCommand.Authorise authorise -> {
					tokens.add(authorise.walletToken());
					invoices.add(authorise.invoice());
				}
				case WalletCommand.Capture capture -> holdIds.add(capture.holdId());
				case WalletCommand.VoidHold voidHold -> holdIds.add(voidHold.holdId());
			}
		}
		HoldDecisions.Round round = holds.lock(holdIds);
		Set<UUID> holdWallets = new HashSet<>();
		for (UUID id : holdIds) {
			round.walletsOf(id, holdWallets);
		}
		Books books = new Books(wallets.lockForBatch(tokens, businesses, holdWallets));
		Journal.Batch sink = journal.batch(businesses, invoices);
		List<Object> results = new ArrayList<>(batch.size());
		for (WalletCommand command : batch) {
			try {
				results.add(switch (command) {
					case ChargeCommand charge -> decideCharge(charge, books, sink);
					case WalletCommand.Authorise authorise -> holds.authorise(authorise, books, sink, round);
					case WalletCommand.Capture capture -> holds.capture(capture, books, sink, round);
					case WalletCommand.VoidHold voidHold -> holds.voidHold(voidHold, books, sink, round);
				});
			}
			catch (ApiException refused) {
				results.add(refused);
			}
		}
		sink.write();
		round.write();
		return results;
	}

	/**
	 * One command in its own transaction (or the caller's: an Idempotency-Key's), decided exactly as in a batch; a
	 * refusal is thrown.
	 */
	@Transactional
	public Outcome decideAlone(WalletCommand command) {
		Object result = decideBatch(List.of(command), null).getFirst();
		if (result instanceof RuntimeException refused) {
			throw refused;
		}
		return (Outcome) result;
	}

	private Outcome decideCharge(ChargeCommand command, Books books, Journal.Sink sink) {
		Principal business = command.business();
		Checks.Parties parties = Checks.parties(books.byToken(command.walletToken()),
				books.byBusiness(business.id()));
		Wallets.Locked payer = parties.payer();
		// As the batch so far left them: balances and held amounts (an authorisation before it holds money).
		WalletRow from = books.wallet(payer.wallet().id());
		WalletRow to = books.wallet(parties.payee().wallet().id());
		Money money = amount(command.amount(), from);
		boolean funded = available(from) >= money.minor();
		if (!funded) {
			// A rejected attempt is stored, unless the invoice was already paid: then it is a duplicate.
			Optional<UUID> original = sink.acceptedCharge(business.id(), command.invoice());
			if (original.isPresent()) {
				return new Outcome.DuplicateInvoice(original.get());
			}
		}
		long payerAfter = funded ? from.balance() - money.minor() : from.balance();
		long payeeAfter = funded ? Checks.credit(to.balance(), money.minor()) : to.balance();
		NewOperation operation = new NewOperation(ids.next(), "charge", funded ? "accepted" : "rejected",
				funded ? null : "insufficient_funds", money.minor(), from.currency(), from.id(), to.id(), business.id(),
				command.invoice(), command.description(), null, journal.now(), null);
		OperationView payeeView = view(operation, to, "credit", payeeAfter, counterparty(payer));
		OperationView payerView = view(operation, from, "debit", payerAfter, counterparty(parties.payee()));
		Movement movement = Movement.of(operation, Side.wallet(from, payerAfter), Side.wallet(to, payeeAfter))
			.announcing(List.of(new Operations.Posted(from.ownerId(), payerView),
					new Operations.Posted(to.ownerId(), payeeView)));
		if (!sink.append(movement)) {
			return new Outcome.DuplicateInvoice(sink.acceptedCharge(business.id(), command.invoice())
				.orElseThrow(() -> new IllegalStateException("charge refused by a unique index, but no original")));
		}
		books.set(from, payerAfter, from.held());
		books.set(to, payeeAfter, to.held());
		return outcome(funded, payeeView);
	}

	/** The business that charged gives money back, all that remains refundable unless {@code amount} says less. */
	@Transactional
	public Outcome refund(Principal business, UUID chargeId, @Nullable BigDecimal amount) {
		Checks.requireType(business, PrincipalType.BUSINESS);
		Operations.ChargeRow charge = operations.findCharge(chargeId)
			.filter(found -> found.businessId().equals(business.id()))
			.orElseThrow(() -> ApiException.notFound("charge_not_found", "You have no charge with this id"));
		if (!charge.status().equals("accepted")) {
			throw ApiException.unprocessable("charge_not_refundable", "Only accepted charges can be refunded");
		}
		Books books = new Books(wallets.lockWithOwners(List.of(charge.debitWalletId(), charge.creditWalletId())));
		long remaining = charge.amount() - operations.refundedAmount(chargeId);
		long minor;
		if (amount == null) {
			if (remaining <= 0) {
				throw ApiException.unprocessable("refund_exceeds_charge", "The charge is already fully refunded");
			}
			minor = remaining;
		}
		else {
			minor = Checks.amount(amount, charge.currency(), properties.maxAmount()).minor();
			if (minor > remaining) {
				throw ApiException.unprocessable("refund_exceeds_charge",
						"At most " + Money.format(Math.max(0, remaining), charge.currency()) + " remains refundable");
			}
		}
		WalletRow payer = books.wallet(charge.creditWalletId());
		WalletRow payee = books.wallet(charge.debitWalletId());
		boolean funded = available(payer) >= minor;
		long payerAfter = funded ? payer.balance() - minor : payer.balance();
		long payeeAfter = funded ? Checks.credit(payee.balance(), minor) : payee.balance();
		NewOperation operation = new NewOperation(ids.next(), "refund", funded ? "accepted" : "rejected",
				funded ? null : "insufficient_funds", minor, charge.currency(), payer.id(), payee.id(), business.id(),
				null, null, chargeId, journal.now(), null);
		journal.direct().append(Movement.of(operation, Side.wallet(payer, payerAfter), Side.wallet(payee, payeeAfter)));
		return outcome(funded, view(operation, payer, "debit", payerAfter, books.counterparty(payee.id())));
	}

	/** What a wallet may still spend: its balance less what its pending holds reserve. */
	static long available(WalletRow wallet) {
		return wallet.balance() - wallet.held();
	}

	private Money amount(@Nullable BigDecimal amount, WalletRow wallet) {
		return Checks.amount(amount, wallet.currency(), properties.maxAmount());
	}

	private static Outcome outcome(boolean funded, OperationView view) {
		return funded ? new Outcome.Accepted(view) : new Outcome.Rejected(view);
	}

	/** The operation just written, as its wallet sees it (held unchanged), without reading it back. */
	private static OperationView view(NewOperation operation, WalletRow wallet, String direction, long balanceAfter,
			Counterparty counterparty) {
		return view(operation, wallet, direction, balanceAfter, wallet.held(), counterparty);
	}

	/** The operation just written, as its wallet sees it, without reading it back. */
	static OperationView view(NewOperation operation, WalletRow wallet, String direction, long balanceAfter,
			long heldAfter, Counterparty counterparty) {
		java.util.Currency currency = operation.currency();
		boolean refundable = (operation.type().equals("charge") || operation.type().equals("capture"))
				&& operation.status().equals("accepted");
		boolean acceptedHold = operation.type().equals("hold") && operation.status().equals("accepted");
		return new OperationView(operation.id(), operation.type(), operation.status(), operation.reason(),
				Money.format(operation.amount(), currency), currency.getCurrencyCode(), wallet.token(), counterparty,
				direction, Money.format(balanceAfter, currency), Money.format(heldAfter, currency), operation.invoice(),
				operation.description(), refundable ? Money.format(0, currency) : null, operation.chargeId(),
				acceptedHold ? operation.id() : operation.holdId(), operation.createdAt());
	}

	static Counterparty counterparty(Wallets.Locked other) {
		return new Counterparty("wallet", other.wallet().token(), other.wallet().ownerType(), other.ownerName());
	}
}
