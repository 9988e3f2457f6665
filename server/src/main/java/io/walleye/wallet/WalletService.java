package io.walleye.wallet;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.walleye.identity.Identity;
import io.walleye.identity.IssuedKey;
import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;
import io.walleye.platform.ApiException;
import io.walleye.platform.Cursor;
import io.walleye.platform.FieldError;
import io.walleye.platform.Ids;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.wallet.domain.Money;
import io.walleye.wallet.domain.WalletTokens;
import io.walleye.wallet.persistence.Operations;
import io.walleye.wallet.persistence.Operations.BalanceUpdate;
import io.walleye.wallet.persistence.Operations.Entry;
import io.walleye.wallet.persistence.Operations.NewOperation;
import io.walleye.wallet.persistence.Operations.Posting;
import io.walleye.wallet.persistence.Owners;
import io.walleye.wallet.persistence.WalletRow;
import io.walleye.wallet.persistence.Wallets;

/**
 * The wallet module's facade: registration, wallets, money movements and history. Every movement is one transaction
 * that locks the wallets it touches in id order, decides, appends the operation (accepted or rejected) with its
 * postings and history entries, and updates the balance projection.
 */
@Service
public class WalletService {

	public static final Set<String> TYPES = Set.of("deposit", "withdrawal", "charge", "refund");

	public static final Set<String> STATUSES = Set.of("accepted", "rejected");

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

	static final String DEPOSITS_ACCOUNT = "system:deposits";

	static final String WITHDRAWALS_ACCOUNT = "system:withdrawals";

	private final Owners owners;

	private final Wallets wallets;

	private final Operations operations;

	private final Identity identity;

	private final WalletProperties properties;

	private final Clock clock;

	private final Ids ids;

	WalletService(Owners owners, Wallets wallets, Operations operations, Identity identity,
			WalletProperties properties, Clock clock, Ids ids) {
		this.owners = owners;
		this.wallets = wallets;
		this.operations = operations;
		this.identity = identity;
		this.properties = properties;
		this.clock = clock;
		this.ids = ids;
	}

	// --- registration and wallets ---

	/** Registers a customer or a business ({@code type}) and issues its first API key. */
	@Transactional
	public Registered register(PrincipalType type, @Nullable String name, @Nullable String email) {
		List<FieldError> errors = new ArrayList<>();
		String cleanName = name == null ? "" : name.strip();
		String cleanEmail = email == null ? "" : email.strip();
		if (cleanName.isEmpty() || cleanName.length() > 200) {
			errors.add(FieldError.of("name", "must be 1 to 200 characters"));
		}
		if (cleanEmail.length() > 254 || !EMAIL.matcher(cleanEmail).matches()) {
			errors.add(FieldError.of("email", "must be a valid email address"));
		}
		if (!errors.isEmpty()) {
			throw validation(errors);
		}
		UUID id = ids.next();
		// PostgreSQL keeps microseconds: answer with the instant as it will read back.
		Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
		if (!owners.insert(ownerType(type), id, cleanName, cleanEmail, now)) {
			throw ApiException.conflict("email_taken", "A " + ownerType(type) + " with this email is already registered");
		}
		IssuedKey key = identity.issueApiKey(type, id);
		return new Registered(id, cleanName, cleanEmail, key.key(), now);
	}

	/** Opens a wallet for the caller; a business may have only one. */
	@Transactional
	public WalletView openWallet(Principal caller, @Nullable String currencyCode) {
		Currency currency = currency(currencyCode == null ? "EUR" : currencyCode);
		// PostgreSQL keeps microseconds: answer with the instant as it will read back.
		Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
		WalletRow wallet = new WalletRow(ids.next(), WalletTokens.generate(), ownerType(caller.type()), caller.id(),
				currency, 0, now, now);
		if (!wallets.insert(wallet)) {
			throw ApiException.conflict("wallet_exists", "A business may own exactly one wallet; it has one already");
		}
		return view(wallet);
	}

	public List<WalletView> wallets(Principal caller) {
		return wallets.findByOwner(caller.id()).stream().map(WalletService::view).toList();
	}

	public WalletView wallet(Principal caller, String token) {
		return view(owned(caller, token));
	}

	// --- money movements ---

	/** Money entering the platform into the caller's wallet. */
	@Transactional
	public Outcome deposit(Principal caller, String token, @Nullable BigDecimal amount, @Nullable String description) {
		WalletRow wallet = owned(caller, token);
		Money money = amount(amount, wallet.currency());
		checkDescription(description);
		WalletRow locked = wallets.lockInOrder(List.of(wallet.id())).getFirst();
		long after = credit(locked.balance(), money.minor());
		NewOperation operation = new NewOperation(ids.next(), "deposit", "accepted", null, money.minor(),
				wallet.currency(), null, wallet.id(), null, null, description, null, clock.instant());
		operations.append(operation, List.of(new Entry(wallet.id(), "credit", money.minor(), after)),
				List.of(new Posting("wallet", wallet.id(), money.minor()),
						new Posting(DEPOSITS_ACCOUNT, null, -money.minor())),
				List.of(new BalanceUpdate(wallet.id(), after)));
		return new Outcome.Accepted(view(operation, wallet, "credit", after, Counterparty.EXTERNAL));
	}

	/** Money leaving the platform from the caller's wallet; rejected (and stored) when funds are short. */
	@Transactional
	public Outcome withdraw(Principal caller, String token, @Nullable BigDecimal amount,
			@Nullable String description) {
		WalletRow wallet = owned(caller, token);
		Money money = amount(amount, wallet.currency());
		checkDescription(description);
		WalletRow locked = wallets.lockInOrder(List.of(wallet.id())).getFirst();
		boolean funded = locked.balance() >= money.minor();
		long after = funded ? locked.balance() - money.minor() : locked.balance();
		NewOperation operation = new NewOperation(ids.next(), "withdrawal", funded ? "accepted" : "rejected",
				funded ? null : "insufficient_funds", money.minor(), wallet.currency(), wallet.id(), null, null, null,
				description, null, clock.instant());
		operations.append(operation, List.of(new Entry(wallet.id(), "debit", money.minor(), after)),
				funded ? List.of(new Posting("wallet", wallet.id(), -money.minor()),
						new Posting(WITHDRAWALS_ACCOUNT, null, money.minor())) : List.of(),
				funded ? List.of(new BalanceUpdate(wallet.id(), after)) : List.of());
		OperationView view = view(operation, wallet, "debit", after, Counterparty.EXTERNAL);
		return funded ? new Outcome.Accepted(view) : new Outcome.Rejected(view);
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
		LockedSet locked = new LockedSet(wallets.lockForCharge(command.walletToken(), business.id()));
		return decideCharge(business, command.walletToken(), command.amount(), command.invoice(), description, locked,
				directStore);
	}

	/** A charge as submitted: what a batch of the group commit is made of. */
	public record ChargeCommand(Principal business, String walletToken, BigDecimal amount, String invoice,
			@Nullable String description) {
	}

	/** Checks a charge's fields before it is queued, so that a batch only holds charges worth deciding. */
	public ChargeCommand checkCharge(Principal business, @Nullable String walletToken, @Nullable BigDecimal amount,
			@Nullable String invoice, @Nullable String description) {
		requireType(business, PrincipalType.BUSINESS);
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
		if (!errors.isEmpty() || walletToken == null || invoice == null || amount == null) {
			throw validation(errors);
		}
		checkDescription(description);
		return new ChargeCommand(business, walletToken, amount, invoice, description);
	}

	/**
	 * Decides a batch of charges in one transaction (group commit): every wallet of the batch is locked up front in
	 * one statement in id order (so batches and single operations never deadlock), then the charges are decided in
	 * order against the running balances, each appended as it is decided. Each result is an {@link Outcome} or the
	 * {@link ApiException} that refuses that charge alone. A database failure rolls the whole batch back and
	 * propagates: the caller then retries each charge on its own.
	 */
	@Transactional
	public List<Object> chargeBatch(List<ChargeCommand> batch) {
		Set<String> tokens = new java.util.HashSet<>();
		Set<UUID> businesses = new java.util.HashSet<>();
		batch.forEach(command -> {
			tokens.add(command.walletToken());
			businesses.add(command.business().id());
		});
		LockedSet locked = new LockedSet(wallets.lockWithOwners(wallets.idsForBatch(tokens, businesses)));
		// The businesses' wallets are locked, so no other transaction can accept one of these invoices meanwhile.
		BatchStore store = new BatchStore(operations.acceptedCharges(businesses,
				batch.stream().map(ChargeCommand::invoice).collect(java.util.stream.Collectors.toSet())));
		List<Object> results = new ArrayList<>(batch.size());
		for (ChargeCommand command : batch) {
			try {
				results.add(decideCharge(command.business(), command.walletToken(), command.amount(),
						command.invoice(), command.description(), locked, store));
			}
			catch (ApiException refused) {
				results.add(refused);
			}
		}
		// The whole batch in four statements; the partial unique index still has the last word (a violation fails
		// the batch, and each charge is then retried alone).
		operations.appendAll(store.writes, locked.balances.entrySet()
			.stream()
			.filter(entry -> store.touched.contains(entry.getKey()))
			.map(entry -> new BalanceUpdate(entry.getKey(), entry.getValue()))
			.toList(), clock.instant());
		return results;
	}

	/** Locked wallets of a transaction with their running balances, found by token or by owning business. */
	private static final class LockedSet {

		private final Map<String, Wallets.Locked> byToken = new java.util.HashMap<>();

		private final Map<UUID, Wallets.Locked> byBusiness = new java.util.HashMap<>();

		private final Map<UUID, Long> balances = new java.util.HashMap<>();

		LockedSet(List<Wallets.Locked> rows) {
			for (Wallets.Locked row : rows) {
				byToken.put(row.wallet().token(), row);
				if (row.wallet().ownerType().equals("business")) {
					byBusiness.put(row.wallet().ownerId(), row);
				}
				balances.put(row.wallet().id(), row.wallet().balance());
			}
		}

		/** The running balance of a wallet of this set; every wallet a charge touches was locked into it. */
		long balance(UUID walletId) {
			Long balance = balances.get(walletId);
			if (balance == null) {
				throw new IllegalStateException("wallet " + walletId + " was not locked with the batch");
			}
			return balance;
		}
	}

	/** Where a decided charge goes: written at once, or collected for the batch's bulk write. */
	private interface ChargeStore {

		Optional<UUID> acceptedCharge(UUID businessId, String invoice);

		/** False when an accepted charge of the invoice exists: nothing is written then. */
		boolean append(NewOperation operation, List<Entry> entries, List<Posting> postings,
				List<BalanceUpdate> balances);
	}

	private final ChargeStore directStore = new ChargeStore() {

		@Override
		public Optional<UUID> acceptedCharge(UUID businessId, String invoice) {
			return operations.acceptedCharge(businessId, invoice);
		}

		@Override
		public boolean append(NewOperation operation, List<Entry> entries, List<Posting> postings,
				List<BalanceUpdate> balances) {
			return operations.append(operation, entries, postings, balances);
		}
	};

	/** Collects a batch's writes; knows the invoices already accepted, in the database or earlier in the batch. */
	private static final class BatchStore implements ChargeStore {

		private final Map<String, UUID> accepted;

		private final List<Operations.Write> writes = new ArrayList<>();

		private final Set<UUID> touched = new java.util.HashSet<>();

		BatchStore(Map<String, UUID> accepted) {
			this.accepted = new java.util.HashMap<>(accepted);
		}

		@Override
		public Optional<UUID> acceptedCharge(UUID businessId, String invoice) {
			return Optional.ofNullable(accepted.get(Operations.invoiceKey(businessId, invoice)));
		}

		@Override
		public boolean append(NewOperation operation, List<Entry> entries, List<Posting> postings,
				List<BalanceUpdate> balances) {
			if (operation.status().equals("accepted")) {
				String key = Operations.invoiceKey(operation.businessId(), operation.invoice());
				if (accepted.containsKey(key)) {
					return false;
				}
				accepted.put(key, operation.id());
			}
			writes.add(new Operations.Write(operation, entries, postings));
			balances.forEach(balance -> touched.add(balance.walletId()));
			return true;
		}
	}

	private Outcome decideCharge(Principal business, String walletToken, BigDecimal amount, String invoice,
			@Nullable String description, LockedSet locked, ChargeStore store) {
		Wallets.Locked payee = locked.byBusiness.get(business.id());
		if (payee == null) {
			throw ApiException.unprocessable("business_has_no_wallet",
					"Open the business's wallet (POST /api/v1/wallets) before charging");
		}
		Wallets.Locked payer = locked.byToken.get(walletToken);
		if (payer == null) {
			throw ApiException.notFound("wallet_not_found", "No wallet has this token");
		}
		WalletRow from = payer.wallet();
		WalletRow to = payee.wallet();
		if (!from.ownerType().equals("customer")) {
			throw ApiException.unprocessable("not_a_customer_wallet", "Only customers' wallets can be charged");
		}
		if (!from.currency().equals(to.currency())) {
			throw ApiException.unprocessable("currency_mismatch", "The customer's wallet is in "
					+ from.currency().getCurrencyCode() + ", the business's in " + to.currency().getCurrencyCode());
		}
		Money money = amount(amount, from.currency());
		long payerBalance = locked.balance(from.id());
		long payeeBalance = locked.balance(to.id());
		boolean funded = payerBalance >= money.minor();
		if (!funded) {
			// A rejected attempt is stored, unless the invoice was already paid: then it is a duplicate.
			Optional<UUID> original = store.acceptedCharge(business.id(), invoice);
			if (original.isPresent()) {
				return new Outcome.DuplicateInvoice(original.get());
			}
		}
		long payerAfter = funded ? payerBalance - money.minor() : payerBalance;
		long payeeAfter = funded ? credit(payeeBalance, money.minor()) : payeeBalance;
		NewOperation operation = new NewOperation(ids.next(), "charge", funded ? "accepted" : "rejected",
				funded ? null : "insufficient_funds", money.minor(), from.currency(), from.id(), to.id(), business.id(),
				invoice, description, null, clock.instant());
		boolean appended = store.append(operation,
				List.of(new Entry(from.id(), "debit", money.minor(), payerAfter),
						new Entry(to.id(), "credit", money.minor(), payeeAfter)),
				funded ? List.of(new Posting("wallet", from.id(), -money.minor()),
						new Posting("wallet", to.id(), money.minor())) : List.of(),
				funded ? List.of(new BalanceUpdate(from.id(), payerAfter), new BalanceUpdate(to.id(), payeeAfter))
						: List.of());
		if (!appended) {
			return new Outcome.DuplicateInvoice(store.acceptedCharge(business.id(), invoice)
				.orElseThrow(() -> new IllegalStateException("charge refused by a unique index, but no original")));
		}
		locked.balances.put(from.id(), payerAfter);
		locked.balances.put(to.id(), payeeAfter);
		OperationView view = view(operation, to, "credit", payeeAfter, counterparty(payer));
		return funded ? new Outcome.Accepted(view) : new Outcome.Rejected(view);
	}

	/** The business that charged gives money back, all that remains refundable unless {@code amount} says less. */
	@Transactional
	public Outcome refund(Principal business, UUID chargeId, @Nullable BigDecimal amount) {
		requireType(business, PrincipalType.BUSINESS);
		Operations.ChargeRow charge = operations.findCharge(chargeId)
			.filter(found -> found.businessId().equals(business.id()))
			.orElseThrow(() -> ApiException.notFound("charge_not_found", "You have no charge with this id"));
		if (!charge.status().equals("accepted")) {
			throw ApiException.unprocessable("charge_not_refundable", "Only accepted charges can be refunded");
		}
		Map<UUID, Wallets.Locked> locked = new java.util.HashMap<>();
		wallets.lockWithOwners(List.of(charge.debitWalletId(), charge.creditWalletId()))
			.forEach(row -> locked.put(row.wallet().id(), row));
		long remaining = charge.amount() - operations.refundedAmount(chargeId);
		long minor;
		if (amount == null) {
			if (remaining <= 0) {
				throw ApiException.unprocessable("refund_exceeds_charge", "The charge is already fully refunded");
			}
			minor = remaining;
		}
		else {
			minor = amount(amount, charge.currency()).minor();
			if (minor > remaining) {
				throw ApiException.unprocessable("refund_exceeds_charge",
						"At most " + Money.format(Math.max(0, remaining), charge.currency()) + " remains refundable");
			}
		}
		// Both sides of an accepted charge exist: wallets are never deleted.
		WalletRow payer = java.util.Objects.requireNonNull(locked.get(charge.creditWalletId())).wallet();
		Wallets.Locked payee = java.util.Objects.requireNonNull(locked.get(charge.debitWalletId()));
		boolean funded = payer.balance() >= minor;
		long payerAfter = funded ? payer.balance() - minor : payer.balance();
		long payeeAfter = funded ? credit(payee.wallet().balance(), minor) : payee.wallet().balance();
		NewOperation operation = new NewOperation(ids.next(), "refund", funded ? "accepted" : "rejected",
				funded ? null : "insufficient_funds", minor, charge.currency(), payer.id(), payee.wallet().id(),
				business.id(), null, null, chargeId, clock.instant());
		operations.append(operation,
				List.of(new Entry(payer.id(), "debit", minor, payerAfter),
						new Entry(payee.wallet().id(), "credit", minor, payeeAfter)),
				funded ? List.of(new Posting("wallet", payer.id(), -minor),
						new Posting("wallet", payee.wallet().id(), minor)) : List.of(),
				funded ? List.of(new BalanceUpdate(payer.id(), payerAfter),
						new BalanceUpdate(payee.wallet().id(), payeeAfter)) : List.of());
		OperationView view = view(operation, payer, "debit", payerAfter, counterparty(payee));
		return funded ? new Outcome.Accepted(view) : new Outcome.Rejected(view);
	}

	/** The operation just written, as its wallet sees it, without reading it back. */
	private static OperationView view(NewOperation operation, WalletRow wallet, String direction, long balanceAfter,
			Counterparty counterparty) {
		Currency currency = operation.currency();
		boolean acceptedCharge = operation.type().equals("charge") && operation.status().equals("accepted");
		return new OperationView(operation.id(), operation.type(), operation.status(), operation.reason(),
				Money.format(operation.amount(), currency), currency.getCurrencyCode(), wallet.token(), counterparty,
				direction, Money.format(balanceAfter, currency), operation.invoice(), operation.description(),
				acceptedCharge ? Money.format(0, currency) : null, operation.chargeId(),
				operation.createdAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
	}

	private static Counterparty counterparty(Wallets.Locked other) {
		return new Counterparty("wallet", other.wallet().token(), other.wallet().ownerType(), other.ownerName());
	}

	// --- history ---

	public Page<OperationView> history(Principal caller, String token, HistoryFilter filter, PageRequest page) {
		return history(owned(caller, token), filter, page);
	}

	/** Every operation of the selection, newest first, fetched page by page so that no page limit applies. */
	public void eachOperation(Principal caller, String token, HistoryFilter filter, Consumer<OperationView> sink) {
		eachOperation(owned(caller, token), filter, sink);
	}

	public BalanceAt balanceAt(Principal caller, String token, @Nullable Instant at) {
		WalletRow wallet = owned(caller, token);
		Instant instant = at == null ? clock.instant() : at;
		return new BalanceAt(Money.format(operations.balanceAt(wallet.id(), instant, true), wallet.currency()),
				wallet.currency().getCurrencyCode(), instant);
	}

	@Transactional(readOnly = true, isolation = org.springframework.transaction.annotation.Isolation.REPEATABLE_READ)
	public Statement statement(Principal caller, String token, @Nullable Instant from, @Nullable Instant to) {
		WalletRow wallet = owned(caller, token);
		Instant end = to == null ? clock.instant() : to;
		if (from != null && from.isAfter(end)) {
			throw validation(List.of(FieldError.of("from", "must not be after to")));
		}
		Currency currency = wallet.currency();
		long opening = from == null ? 0 : operations.balanceAt(wallet.id(), from, false);
		long closing = operations.balanceAt(wallet.id(), end, false);
		List<Statement.Total> totals = operations.totals(wallet.id(), from, end)
			.stream()
			.map(row -> new Statement.Total((String) row[0], (String) row[1], (Long) row[2],
					Money.format((Long) row[3], currency)))
			.toList();
		int limit = properties.statementLimit();
		List<OperationView> listed = operations
			.history(wallet.id(), new HistoryFilter(Set.of(), Set.of(), from, end), null, null, limit + 1)
			.stream()
			.map(Operations.HistoryRow::view)
			.toList();
		boolean truncated = listed.size() > limit;
		return new Statement(from, end, Money.format(opening, currency), Money.format(closing, currency), totals,
				truncated ? listed.subList(0, limit) : listed, truncated);
	}

	// --- operators (console) ---

	/** Wallets matching a token exactly, or owned by customers/businesses whose name, email or id matches. */
	public List<WalletSummary> search(String q, int limit) {
		String query = q.strip();
		List<WalletSummary> found = new ArrayList<>();
		if (query.startsWith(WalletTokens.PREFIX)) {
			wallets.findByToken(query).map(this::summary).ifPresent(found::add);
			return found;
		}
		if (query.isEmpty()) {
			return wallets.latest(limit).stream().map(this::summary).toList();
		}
		for (String type : List.of("customer", "business")) {
			for (Owner owner : owners.list(type, query, limit)) {
				wallets.findByOwner(owner.id()).forEach(wallet -> found.add(summary(wallet, owner)));
			}
		}
		return found.stream().sorted(Comparator.comparing(WalletSummary::createdAt).reversed()).limit(limit).toList();
	}

	public Optional<WalletSummary> walletSummary(String token) {
		return wallets.findByToken(token).map(this::summary);
	}

	public Page<OperationView> operatorHistory(String token, HistoryFilter filter, PageRequest page) {
		return history(walletOrNotFound(token), filter, page);
	}

	public void operatorEachOperation(String token, HistoryFilter filter, Consumer<OperationView> sink) {
		eachOperation(walletOrNotFound(token), filter, sink);
	}

	/** The balance after each of the wallet's last {@code limit} operations, oldest first, as decimals. */
	public List<Map.Entry<Instant, BigDecimal>> balanceSeries(String token, int limit) {
		WalletRow wallet = walletOrNotFound(token);
		int digits = Money.fractionDigits(wallet.currency());
		return operations.balanceSeries(wallet.id(), limit)
			.stream()
			.map(point -> Map.entry(point.getKey(), BigDecimal.valueOf(point.getValue(), digits)))
			.toList();
	}

	/** Customers ({@code type} "customer") or businesses, newest first, with their wallets. */
	public List<OwnerWithWallets> owners(String type, String q, int limit) {
		return owners.list(type, q.strip(), limit)
			.stream()
			.map(owner -> new OwnerWithWallets(owner,
					wallets.findByOwner(owner.id()).stream().map(wallet -> summary(wallet, owner)).toList()))
			.toList();
	}

	public record OwnerWithWallets(Owner owner, List<WalletSummary> wallets) {
	}

	// --- helpers ---

	private Page<OperationView> history(WalletRow wallet, HistoryFilter filter, PageRequest page) {
		checkFilter(filter);
		Cursor cursor = page.decodeCursor(2);
		List<Operations.HistoryRow> rows = operations.history(wallet.id(), filter,
				cursor == null ? null : cursor.instant(0), cursor == null ? null : cursor.uuid(1), page.fetchSize());
		return Page.of(rows, page.limit(), row -> Cursor.of(row.createdAt(), row.id()))
			.map(Operations.HistoryRow::view);
	}

	private void eachOperation(WalletRow wallet, HistoryFilter filter, Consumer<OperationView> sink) {
		checkFilter(filter);
		Instant afterAt = null;
		UUID afterId = null;
		while (true) {
			List<Operations.HistoryRow> rows = operations.history(wallet.id(), filter, afterAt, afterId, 1000);
			rows.forEach(row -> sink.accept(row.view()));
			if (rows.size() < 1000) {
				return;
			}
			afterAt = rows.getLast().createdAt();
			afterId = rows.getLast().id();
		}
	}

	private static void checkFilter(HistoryFilter filter) {
		List<FieldError> errors = new ArrayList<>();
		if (!TYPES.containsAll(filter.types())) {
			errors.add(FieldError.of("type", "must be among " + String.join(", ", List.of("deposit", "withdrawal",
					"charge", "refund"))));
		}
		if (!STATUSES.containsAll(filter.statuses())) {
			errors.add(FieldError.of("status", "must be among accepted, rejected"));
		}
		if (filter.from() != null && filter.to() != null && filter.from().isAfter(filter.to())) {
			errors.add(FieldError.of("from", "must not be after to"));
		}
		if (!errors.isEmpty()) {
			throw validation(errors);
		}
	}

	/** The caller's wallet with this token; anyone else's is "not found", never "forbidden". */
	private WalletRow owned(Principal caller, String token) {
		return wallets.findByToken(token)
			.filter(wallet -> wallet.ownerId().equals(caller.id())
					&& wallet.ownerType().equals(caller.type().name().toLowerCase(Locale.ROOT)))
			.orElseThrow(() -> ApiException.notFound("wallet_not_found", "You have no wallet with this token"));
	}

	private WalletRow walletOrNotFound(String token) {
		return wallets.findByToken(token)
			.orElseThrow(() -> ApiException.notFound("wallet_not_found", "No wallet has this token"));
	}

	private Money amount(@Nullable BigDecimal amount, Currency currency) {
		if (amount == null) {
			throw validation(List.of(FieldError.of("amount", "is required")));
		}
		try {
			return Money.parse(amount, currency, Money.toMinorCapped(properties.maxAmount(), currency));
		}
		catch (Money.InvalidAmount ex) {
			throw validation(List.of(FieldError.of("amount", ex.getMessage())));
		}
	}

	private static long credit(long balance, long amount) {
		try {
			return Money.credit(balance, amount);
		}
		catch (Money.BalanceOverflow ex) {
			throw ApiException.unprocessable("balance_overflow", "The balance would exceed what a wallet can hold");
		}
	}

	private static void checkDescription(@Nullable String description) {
		if (description != null && description.length() > 500) {
			throw validation(List.of(FieldError.of("description", "must be at most 500 characters")));
		}
	}

	private static Currency currency(String code) {
		try {
			if (code.length() == 3 && code.equals(code.toUpperCase(Locale.ROOT))) {
				return Currency.getInstance(code);
			}
		}
		catch (IllegalArgumentException ex) {
			// fall through to the validation error
		}
		throw validation(List.of(FieldError.of("currency", "must be an ISO 4217 code such as EUR")));
	}

	private static void requireType(Principal caller, PrincipalType type) {
		if (caller.type() != type) {
			throw ApiException.forbidden("forbidden", "Only a " + type.name().toLowerCase(Locale.ROOT) + " may do this");
		}
	}

	private static String ownerType(PrincipalType type) {
		return switch (type) {
			case CUSTOMER -> "customer";
			case BUSINESS -> "business";
			default -> throw ApiException.forbidden("forbidden", "Only customers and businesses own wallets");
		};
	}

	static ApiException validation(List<FieldError> errors) {
		return new ApiException(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed",
				"The request has invalid fields; see errors")
			.with("errors", errors);
	}

	private static WalletView view(WalletRow wallet) {
		return new WalletView(wallet.token(), wallet.currency().getCurrencyCode(),
				Money.format(wallet.balance(), wallet.currency()), wallet.ownerType(), wallet.createdAt(),
				wallet.updatedAt());
	}

	private WalletSummary summary(WalletRow wallet) {
		Owner owner = owners.find(wallet.ownerType(), wallet.ownerId())
			.orElse(new Owner(wallet.ownerId(), wallet.ownerType(), "?", "?", wallet.createdAt()));
		return summary(wallet, owner);
	}

	private static WalletSummary summary(WalletRow wallet, Owner owner) {
		return new WalletSummary(wallet.token(), wallet.currency().getCurrencyCode(),
				Money.format(wallet.balance(), wallet.currency()), wallet.ownerType(), owner.id(), owner.name(),
				owner.email(), wallet.createdAt(), wallet.updatedAt());
	}
}
