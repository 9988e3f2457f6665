package io.walleye.wallet;

import java.time.Instant;

/** A wallet as its owner sees it; {@code balance} is a decimal string in the wallet's currency. */
public record WalletView(String token, String currency, String balance, String ownerType, Instant createdAt,
		Instant updatedAt) {
}
