package io.walleye.wallet;

import java.math.BigDecimal;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Wallet settings.
 *
 * @param maxAmount the largest amount one operation may move, in major units of the wallet's currency
 * @param idempotencyWait how long a retry waits for the first request with the same Idempotency-Key before 409
 * @param idempotencyRetention how long an Idempotency-Key is remembered; older keys are deleted, after which the same
 * key runs as a new request (an invoice stays charged at most once regardless)
 * @param statementLimit the most operations a statement lists (its totals always cover the whole period)
 * @param groupCommit batching of charges into shared transactions
 * @param holds authorisations: their default and longest life, and the worker's sweep of expired ones
 */
@ConfigurationProperties("walleye.wallet")
public record WalletProperties(@DefaultValue("1000000.00") BigDecimal maxAmount,
		@DefaultValue("5s") Duration idempotencyWait, @DefaultValue("24h") Duration idempotencyRetention,
		@DefaultValue("1000") int statementLimit, @DefaultValue GroupCommit groupCommit, @DefaultValue Holds holds) {

	/**
	 * Group commit of charges: {@code shards} single writers (a business's charges always go to the same one), each
	 * deciding up to {@code maxBatch} queued charges in order inside one transaction and one commit. One writer by
	 * default: a batch's statements and commit cost PostgreSQL about the same for 3 charges as for 12, so one writer
	 * with larger batches served 1.3 times the charges of four at half of PostgreSQL's CPU per charge
	 * (docs/performance.md).
	 */
	public record GroupCommit(@DefaultValue("false") boolean enabled, @DefaultValue("1") int shards,
			@DefaultValue("64") int maxBatch) {
	}

	/**
	 * Holds: {@code defaultExpiry} when a hold names none, {@code maxExpiry} the longest a hold may ask for; every
	 * {@code sweepInterval} the worker releases expired holds, {@code sweepBatch} per transaction.
	 */
	public record Holds(@DefaultValue("P7D") Duration defaultExpiry, @DefaultValue("P30D") Duration maxExpiry,
			@DefaultValue("5s") Duration sweepInterval, @DefaultValue("500") int sweepBatch) {
	}
}
