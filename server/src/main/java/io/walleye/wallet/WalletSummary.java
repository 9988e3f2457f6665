package io.walleye.wallet;

import java.time.Instant;
import java.util.UUID;

/** A wallet with its owner, for operators; {@code held} and {@code available} as in {@link WalletView}. */
public record WalletSummary(String token, String currency, String balance, String held, String available,
		String ownerType, UUID ownerId, String ownerName, String ownerEmail, Instant createdAt, Instant updatedAt) {
}
