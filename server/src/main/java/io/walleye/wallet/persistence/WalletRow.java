package io.walleye.wallet.persistence;

import java.time.Instant;
import java.util.Currency;
import java.util.UUID;

/** A row of {@code wallets}; {@code held} is the part of the balance reserved by pending holds. */
public record WalletRow(UUID id, String token, String ownerType, UUID ownerId, Currency currency, long balance,
		long held, Instant createdAt, Instant updatedAt) {
}
