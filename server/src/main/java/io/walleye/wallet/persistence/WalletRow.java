package io.walleye.wallet.persistence;

import java.time.Instant;
import java.util.Currency;
import java.util.UUID;

/** A row of {@code wallets}. */
public record WalletRow(UUID id, String token, String ownerType, UUID ownerId, Currency currency, long balance,
		Instant createdAt, Instant updatedAt) {
}
