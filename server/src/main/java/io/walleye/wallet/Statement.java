package io.walleye.wallet;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A wallet's statement over [from, to): balances, held and available amounts at both ends, totals by type and status,
 * and the operations.
 */
public record Statement(@Nullable Instant from, Instant to, String openingBalance, String openingHeld,
		String openingAvailable, String closingBalance, String closingHeld, String closingAvailable, List<Total> totals, List<OperationView> operations, boolean truncated) {

	public record Total(String type, String status, long count, String amount) {
	}
}
