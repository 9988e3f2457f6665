package io.walleye.webhooks;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.walleye.webhooks.persistence.Outbox;

/**
 * Gives committed events their feed positions when a reader looks (Outbox#sequence): the writers never wait for
 * each other's commits, and a reader sees every event committed before it read — its own included.
 */
@Component
class FeedSequencer {

	static final int BATCH = 5_000;

	private final Outbox outbox;

	private final TransactionTemplate transaction;

	FeedSequencer(Outbox outbox, PlatformTransactionManager transactions) {
		this.outbox = outbox;
		this.transaction = new TransactionTemplate(transactions);
	}

	/** Positions every event committed so far; one indexed look when none waits. */
	void catchUp() {
		if (!outbox.unsequenced()) {
			return;
		}
		int given;
		do {
			Integer sequenced = transaction.execute(tx -> outbox.sequence(BATCH));
			given = sequenced == null ? 0 : sequenced;
		}
		while (given == BATCH);
	}
}
