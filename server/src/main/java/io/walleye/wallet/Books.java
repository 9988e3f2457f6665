package io.walleye.wallet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.walleye.wallet.persistence.WalletRow;
import io.walleye.wallet.persistence.Wallets;

/**
 * The wallets a transaction locked, with their balances and held amounts as its decisions so far left them: a batch
 * decides each command against what the commands before it did.
 */
final class Books {

	private final Map<UUID, Wallets.Locked> locked = new HashMap<>();

	private final Map<String, Wallets.Locked> byToken = new HashMap<>();

	private final Map<UUID, Wallets.Locked> byBusiness = new HashMap<>();

	private final Map<UUID, WalletRow> current = new HashMap<>();

	Books(List<Wallets.Locked> rows) {
		rows.forEach(row -> {
			WalletRow wallet = row.wallet();
			locked.put(wallet.id(), row);
			byToken.put(wallet.token(), row);
			if (wallet.ownerType().equals("business")) {
				byBusiness.put(wallet.ownerId(), row);
			}
			current.put(wallet.id(), wallet);
		});
	}

	/** The locked wallet with this token, as locked (its owner's name; balances: {@link #wallet}). */
	Wallets.@Nullable Locked byToken(String token) {
		return byToken.get(token);
	}

	/** The business's locked wallet, as locked. */
	Wallets.@Nullable Locked byBusiness(UUID businessId) {
		return byBusiness.get(businessId);
	}

	/** The wallet as the transaction's decisions so far left it. */
	WalletRow wallet(UUID id) {
		WalletRow row = current.get(id);
		if (row == null) {
			throw new IllegalStateException("wallet " + id + " is not locked");
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
			throw new IllegalStateException("wallet " + id + " is not locked");
		}
		return Movements.counterparty(row);
	}
}
