package io.walleye.wallet;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An operation seen from the wallet it is listed under: {@code direction} and {@code balance_after} are that
 * wallet's, and so is {@code held_after} (what pending holds reserve of that balance). Amounts are decimal strings; a
 * rejected operation leaves the balance unchanged. {@code hold_id} links a hold's operations (its own id on the hold).
 */
public record OperationView(UUID id, String type, String status, @Nullable String reason, String amount,
		String currency, String walletToken, Counterparty counterparty, String direction, String balanceAfter,
		String heldAfter, @Nullable String invoice, @Nullable String description, @Nullable String refundedAmount,
		@Nullable UUID chargeId, @Nullable UUID holdId, Instant createdAt) {
}
