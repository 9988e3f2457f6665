package io.walleye.wallet;

import java.time.Instant;
import java.util.UUID;

/** A wallet with its owner, for operators. */
public record WalletSummary(String token, String currency, String balance, String ownerType, UUID ownerId,
		String ownerName, String ownerEmail, Instant createdAt, Instant updatedAt) {
}
