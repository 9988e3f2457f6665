package io.walleye.wallet;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import io.walleye.identity.Principal;
import io.walleye.platform.Cursor;
import io.walleye.platform.FieldError;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.wallet.domain.Money;
import io.walleye.wallet.domain.WalletTokens;
import io.walleye.wallet.persistence.Operations;
import io.walleye.wallet.persistence.Owners;
import io.walleye.wallet.persistence.WalletRow;
import io.walleye.wallet.persistence.Wallets;

/**
 * What the wallet module reads and never changes: wallets, history, balance at an instant and statements for their
 * owners, and the search and history the operators' console shows.
 */
@Service
public class WalletQueries {

	/** Operation types in the order the API documents them. */
	public static final List<String> TYPE_NAMES = List.of("deposit", "withdrawal", "charge", "refund", "hold",
			"capture", "hold_void", "hold_expired");

	public static final Set<String> TYPES = Set.copyOf(TYPE_NAMES);

	public static final Set<String> STATUSES = Set.of("accepted", "rejected");

	private final Owners owners;

	private final Wallets wallets;

	private final Operations operations;

	private final WalletProperties properties;

	private final Clock clock;

	WalletQueries(Owners owners, Wallets wallets, Operations operations, WalletProperties properties, Clock clock) {
		this.owners = owners;
		this.wallets = wallets;
		this.operations = operations;
		this.properties = properties;
		this.clock = clock;
	}

	// --- owners ---

	/** The caller's wallets, oldest first, a page at a time. */
	public Page<WalletView> wallets(Principal caller, PageRequest page) {
		Cursor cursor = page.decodeCursor(2);
		List<WalletRow> rows = wallets.pageByOwner(caller.id(), cursor == null ? null : cursor.instant(0),
				cursor == null ? null : cursor.uuid(1), page.fetchSize());
		return Page.of(rows, page.limit(), row -> Cursor.of(row.createdAt(), row.id())).map(Checks::view);
	}

	public WalletView wallet(Principal caller, String token) {
		return Checks.view(owned(caller, token));
	}

	public Page<OperationView> history(Principal caller, String token, HistoryFilter filter, PageRequest page) {
		return history(owned(caller, token), filter, page);
	}

	/** Every operation of the selection, newest first, fetched page by page so that no page limit applies. */
	public void eachOperation(Principal caller, String token, HistoryFilter filter, Consumer<OperationView> sink) {
		eachOperation(owned(caller, token), filter, null, null, sink);
	}

	/** The selection after {@code after} (a cursor of a page), at most {@code max} operations when given. */
	public void eachOperation(Principal caller, String token, HistoryFilter filter, @Nullable Cursor after,
			@Nullable Integer max, Consumer<OperationView> sink) {
		eachOperation(owned(caller, token), filter, after, max, sink);
	}

	public BalanceAt balanceAt(Principal caller, String token, @Nullable Instant at) {
		WalletRow wallet = owned(caller, token);
		// Stored instants are whole microseconds: "at or before" a finer instant is "at or before" its microsecond.
		Instant instant = (at == null ? clock.instant() : at).truncatedTo(ChronoUnit.MICROS);
		Operations.Position position = operations.positionAt(wallet.id(), instant, true);
		Currency currency = wallet.currency();
		return new BalanceAt(Money.format(position.balance(), currency), Money.format(position.held(), currency),
				Money.format(position.balance() - position.held(), currency), currency.getCurrencyCode(), instant);
	}

	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	public Statement statement(Principal caller, String token, @Nullable Instant from, @Nullable Instant to) {
		WalletRow wallet = owned(caller, token);
		Instant end = to == null ? clock.instant().truncatedTo(ChronoUnit.MICROS) : to;
		if (from != null && from.isAfter(end)) {
			throw Checks.validation(List.of(FieldError.of("from", "must not be after to")));
		}
		Currency currency = wallet.currency();
		Operations.Position opening = from == null ? Operations.Position.ZERO
				: operations.positionAt(wallet.id(), from, false);
		Operations.Position closing = operations.positionAt(wallet.id(), end, false);
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
		return new Statement(from, end, Money.format(opening.balance(), currency),
				Money.format(opening.held(), currency), Money.format(opening.balance() - opening.held(), currency),
				Money.format(closing.balance(), currency), Money.format(closing.held(), currency),
				Money.format(closing.balance() - closing.held(), currency), totals,
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
		return history(Checks.existing(wallets.findByToken(token)), filter, page);
	}

	public void operatorEachOperation(String token, HistoryFilter filter, Consumer<OperationView> sink) {
		eachOperation(Checks.existing(wallets.findByToken(token)), filter, null, null, sink);
	}

	/** The balance after each of the wallet's last {@code limit} operations, oldest first, as decimals. */
	public List<Map.Entry<Instant, BigDecimal>> balanceSeries(String token, int limit) {
		WalletRow wallet = Checks.existing(wallets.findByToken(token));
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

	private WalletRow owned(Principal caller, String token) {
		return Checks.owned(wallets.findByToken(token), caller);
	}

	private Page<OperationView> history(WalletRow wallet, HistoryFilter filter, PageRequest page) {
		checkFilter(filter);
		Cursor cursor = page.decodeCursor(2);
		List<Operations.HistoryRow> rows = operations.history(wallet.id(), filter,
				cursor == null ? null : cursor.instant(0), cursor == null ? null : cursor.uuid(1), page.fetchSize());
		return Page.of(rows, page.limit(), row -> Cursor.of(row.createdAt(), row.id()))
			.map(Operations.HistoryRow::view);
	}

	private void eachOperation(WalletRow wallet, HistoryFilter filter, @Nullable Cursor after, @Nullable Integer max,
			Consumer<OperationView> sink) {
		checkFilter(filter);
		Instant afterAt = after == null ? null : after.instant(0);
		UUID afterId = after == null ? null : after.uuid(1);
		long left = max == null ? Long.MAX_VALUE : max;
		while (left > 0) {
			int size = (int) Math.min(1000, left);
			List<Operations.HistoryRow> rows = operations.history(wallet.id(), filter, afterAt, afterId, size);
			rows.forEach(row -> sink.accept(row.view()));
			left -= rows.size();
			if (rows.size() < size) {
				return;
			}
			afterAt = rows.getLast().createdAt();
			afterId = rows.getLast().id();
		}
	}

	private static void checkFilter(HistoryFilter filter) {
		List<FieldError> errors = new ArrayList<>();
		if (!TYPES.containsAll(filter.types())) {
			errors.add(FieldError.of("type", "must be among " + String.join(", ", TYPE_NAMES)));
		}
		if (!STATUSES.containsAll(filter.statuses())) {
			errors.add(FieldError.of("status", "must be among accepted, rejected"));
		}
		Instant from = filter.from();
		Instant to = filter.to();
		if (from != null && to != null && from.isAfter(to)) {
			errors.add(FieldError.of("from", "must not be after to"));
		}
		if (!errors.isEmpty()) {
			throw Checks.validation(errors);
		}
	}

	private WalletSummary summary(WalletRow wallet) {
		Owner owner = owners.find(wallet.ownerType(), wallet.ownerId())
			.orElse(new Owner(wallet.ownerId(), wallet.ownerType(), "?", "?", wallet.createdAt()));
		return summary(wallet, owner);
	}

	private static WalletSummary summary(WalletRow wallet, Owner owner) {
		return new WalletSummary(wallet.token(), wallet.currency().getCurrencyCode(),
				Money.format(wallet.balance(), wallet.currency()), Money.format(wallet.held(), wallet.currency()),
				Money.format(wallet.balance() - wallet.held(), wallet.currency()), wallet.ownerType(), owner.id(), owner.name(),
				owner.email(), wallet.createdAt(), wallet.updatedAt());
	}
}
