package io.walleye.wallet;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A hold as its business sees it: {@code status} pending, captured, voided or expired; {@code remaining} is what it
 * still reserves (zero once it is no longer pending); {@code captures} its capture operations, oldest first.
 */
public record HoldView(UUID id, String status, String amount, String capturedAmount, String remaining,
		String currency, String walletToken, String invoice, @Nullable String description, Instant createdAt,
		Instant expiresAt, List<Capture> captures) {

	/** One capture: a charge linked to the hold, refundable like any charge. */
	public record Capture(UUID id, String amount, Instant createdAt) {
	}
}
