package io.walleye.wallet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;
import io.walleye.platform.ApiException;
import io.walleye.platform.Cursor;
import io.walleye.platform.FieldError;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.wallet.domain.Money;
import io.walleye.wallet.persistence.HoldsTable;
import io.walleye.wallet.persistence.HoldsTable.HoldRow;
import io.walleye.wallet.persistence.WalletRow;
import io.walleye.wallet.persistence.Wallets;

/** Reads holds: a business's own (one, or a filtered page), and a wallet's for the operators' console. */
@Service
public class HoldQueries {

	public static final Set<String> STATUSES = Set.of("pending", "captured", "voided", "expired");

	private final HoldsTable holds;

	private final Wallets wallets;

	HoldQueries(HoldsTable holds, Wallets wallets) {
		this.holds = holds;
		this.wallets = wallets;
	}

	/** One of the business's holds; anyone else's is 404, never 403. */
	public HoldView hold(Principal business, UUID id) {
		Checks.requireType(business, PrincipalType.BUSINESS);
		return holds.find(id)
			.filter(found -> found.businessId().equals(business.id()))
			.map(this::view)
			.orElseThrow(() -> ApiException.notFound("hold_not_found", "You have no hold with this id"));
	}

	/** The business's holds newest first, optionally of one status and one customer wallet. */
	public Page<HoldView> holds(Principal business, @Nullable String status, @Nullable String walletToken,
			PageRequest page) {
		Checks.requireType(business, PrincipalType.BUSINESS);
		if (status != null && !STATUSES.contains(status)) {
			throw Checks.validation(
					List.of(FieldError.of("status", "must be one of pending, captured, voided, expired")));
		}
		UUID walletId = null;
		if (walletToken != null) {
			// An unknown token is an empty list, not a 404: whether a wallet exists is not the business's to learn.
			walletId = wallets.findByToken(walletToken).map(WalletRow::id).orElse(new UUID(0, 0));
		}
		return page(business.id(), status, walletId, page);
	}

	/** A wallet's holds newest first, for operators. */
	public Page<HoldView> walletHolds(String token, PageRequest page) {
		WalletRow wallet = Checks.existing(wallets.findByToken(token));
		return page(null, null, wallet.id(), page);
	}

	private Page<HoldView> page(@Nullable UUID businessId, @Nullable String status, @Nullable UUID walletId,
			PageRequest page) {
		Cursor cursor = page.decodeCursor(2);
		List<HoldRow> rows = holds.page(businessId, status, walletId, cursor == null ? null : cursor.instant(0),
				cursor == null ? null : cursor.uuid(1), page.fetchSize());
		Page<HoldRow> found = Page.of(rows, page.limit(), row -> Cursor.of(row.createdAt(), row.id()));
		return new Page<>(views(found.items()), found.nextCursor());
	}

	HoldView view(HoldRow hold) {
		return views(List.of(hold)).getFirst();
	}

	/** Views of these holds with their captures, read in one query. */
	private List<HoldView> views(List<HoldRow> rows) {
		Map<UUID, List<HoldView.Capture>> captures = new HashMap<>();
		for (HoldsTable.CaptureRow capture : holds.captures(rows.stream().map(HoldRow::id).toList())) {
			HoldRow hold = rows.stream().filter(row -> row.id().equals(capture.holdId())).findFirst().orElseThrow();
			captures.computeIfAbsent(capture.holdId(), id -> new ArrayList<>())
				.add(capture(capture.id(), capture.amount(), hold.currency(), capture.createdAt()));
		}
		return rows.stream()
			.map(hold -> view(hold, captures.getOrDefault(hold.id(), List.of())))
			.toList();
	}

	/** A hold with the captures made of it so far, oldest first. */
	static HoldView view(HoldRow hold, List<HoldView.Capture> captures) {
		return new HoldView(hold.id(), hold.status(), Money.format(hold.amount(), hold.currency()),
				Money.format(hold.captured(), hold.currency()), Money.format(hold.remaining(), hold.currency()),
				hold.currency().getCurrencyCode(), hold.walletToken(), hold.invoice(), hold.description(),
				hold.createdAt(), hold.expiresAt(), List.copyOf(captures));
	}

	static HoldView.Capture capture(UUID id, long amount, java.util.Currency currency, java.time.Instant at) {
		return new HoldView.Capture(id, Money.format(amount, currency), at);
	}
}
