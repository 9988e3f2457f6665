package io.walleye.wallet;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.walleye.identity.Principal;
import io.walleye.wallet.persistence.HoldsTable;
import io.walleye.wallet.persistence.HoldsTable.HoldRow;
import io.walleye.wallet.persistence.Wallets;

/**
 * Holds: a business reserves money on a customer's wallet now, captures it later (all, part, or in several parts),
 * voids it, or lets it expire. The commands are checked here and decided by {@link Charges#submit} (group-committed,
 * or alone in the caller's transaction, an Idempotency-Key's), through {@link HoldDecisions}: the hold's row is locked
 * first, then its wallets in one statement in id order; money moves only as postings through the {@link Journal}.
 */
@Service
public class Holds {

	private final HoldsTable holds;

	private final HoldDecisions decisions;

	private final Wallets wallets;

	private final Journal journal;

	Holds(HoldsTable holds, HoldDecisions decisions, Wallets wallets, Journal journal) {
		this.holds = holds;
		this.decisions = decisions;
		this.wallets = wallets;
		this.journal = journal;
	}

	/** Checks an authorisation's fields: a refusal is thrown before anything is queued or locked. */
	public WalletCommand authorisation(Principal business, @Nullable String walletToken,
			@Nullable BigDecimal amount, @Nullable String invoice, @Nullable String description,
			@Nullable String expiresIn) {
		return decisions.checkAuthorise(business, walletToken, amount, invoice, description, expiresIn);
	}

	public WalletCommand capturing(Principal business, UUID holdId, @Nullable BigDecimal amount, boolean last) {
		return HoldDecisions.checkCapture(business, holdId, amount, last);
	}

	public WalletCommand voiding(Principal business, UUID holdId) {
		return HoldDecisions.checkVoid(business, holdId);
	}

	/**
	 * Expires up to {@code limit} pending holds past their deadline in one transaction (the worker's sweep): each
	 * releases what it reserves and records a {@code hold_expired} operation. Holds a capture, void or batch has
	 * locked are skipped ({@code SKIP LOCKED}), so the sweep never waits on them or deadlocks with them; that command
	 * sees the deadline itself. The number expired.
	 */
	@Transactional
	public int expireDue(int limit) {
		List<HoldRow> due = holds.lockDue(journal.now(), limit);
		if (due.isEmpty()) {
			return 0;
		}
		HoldDecisions.Round round = decisions.round(due);
		Set<UUID> walletIds = new HashSet<>();
		due.forEach(hold -> round.walletsOf(hold.id(), walletIds));
		Books books = new Books(wallets.lockWithOwners(walletIds));
		Journal.Batch sink = journal.batch(List.of(), List.of());
		decisions.expire(due, books, sink, round);
		sink.write();
		round.write();
		return due.size();
	}
}
