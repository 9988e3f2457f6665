package io.walleye.wallet;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The result of recomputing every projection from the log: wallets whose balance or held amount differs from the fold
 * of their postings or from their last history entry, holds whose remaining amount differs from what the holds
 * account keeps for them, and the postings' sum per currency (zero when the books balance).
 */
public record LedgerReport(long walletsChecked, List<Mismatch> mismatches, Map<String, String> postingsSumByCurrency,
		long operationsChecked, long holdsChecked, List<HoldMismatch> holdMismatches) {

	public boolean ok() {
		return mismatches.isEmpty() && holdMismatches.isEmpty()
				&& postingsSumByCurrency.values().stream().allMatch(LedgerReport::isZero);
	}

	private static boolean isZero(String amount) {
		return new java.math.BigDecimal(amount).signum() == 0;
	}

	public record Mismatch(String walletToken, String currency, String balance, String postingsSum,
			String lastBalanceAfter, String held, String heldPostingsSum, String lastHeldAfter) {
	}

	/** A hold whose remaining amount (zero unless pending) is not its fold in the holds account. */
	public record HoldMismatch(UUID holdId, String status, String currency, String remaining, String heldPostingsSum) {
	}
}
