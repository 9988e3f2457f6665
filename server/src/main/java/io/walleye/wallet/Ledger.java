package io.walleye.wallet;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import io.walleye.wallet.persistence.LedgerChecks;

/**
 * Verifies the books: every balance and held amount recomputed from the log, every pending hold against the holds
 * account, and every currency's postings summing to zero.
 */
@Service
public class Ledger {

	private final LedgerChecks checks;

	Ledger(LedgerChecks checks) {
		this.checks = checks;
	}

	/** One consistent snapshot (repeatable read), so verification can run while money moves. */
	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	public LedgerReport verify() {
		var mismatches = checks.mismatches();
		var sums = checks.postingsSumByCurrency();
		long unbalanced = checks.unbalancedOperations();
		if (unbalanced > 0) {
			var withUnbalanced = new java.util.ArrayList<>(mismatches);
			withUnbalanced.add(
					new LedgerReport.Mismatch("(operations)", "", "", unbalanced + " unbalanced", "", "", "", ""));
			mismatches = withUnbalanced;
		}
		return new LedgerReport(checks.wallets(), mismatches, sums, checks.operations(), checks.holds(),
				checks.holdMismatches());
	}
}
