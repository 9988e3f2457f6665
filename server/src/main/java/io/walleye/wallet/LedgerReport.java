package io.walleye.wallet;

import java.util.List;
import java.util.Map;

/**
 * The result of recomputing every projection from the log: wallets whose balance differs from the fold of their
 * postings or from their last history entry, and the postings' sum per currency (zero when the books balance).
 */
public record LedgerReport(long walletsChecked, List<Mismatch> mismatches, Map<String, String> postingsSumByCurrency,
		long operationsChecked) {

	public boolean ok() {
		return mismatches.isEmpty() && postingsSumByCurrency.values().stream().allMatch(LedgerReport::isZero);
	}

	private static boolean isZero(String amount) {
		return new java.math.BigDecimal(amount).signum() == 0;
	}

	public record Mismatch(String walletToken, String currency, String balance, String postingsSum,
			String lastBalanceAfter) {
	}
}
