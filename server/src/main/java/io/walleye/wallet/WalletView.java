package io.walleye.wallet;

import java.time.Instant;

/**
 * A wallet as its owner sees it, in decimal strings of the wallet's currency: {@code balance} is what it owns (posted),
 * {@code held} what pending holds reserve of it, {@code available} = balance - held, what it may still spend.
 */
public record WalletView(String token, String currency, String balance, String held, String available,
		String ownerType, Instant createdAt, Instant updatedAt) {
}
