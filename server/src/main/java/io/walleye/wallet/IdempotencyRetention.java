package io.walleye.wallet;

import java.time.Clock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.walleye.platform.Batches;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;
import io.walleye.wallet.persistence.IdempotencyKeys;

/**
 * Forgets Idempotency-Keys older than {@code walleye.wallet.idempotency-retention}, so that the table holds about a
 * day of keys instead of every key ever sent. Deletes in batches of {@value #BATCH}, each its own short transaction,
 * so that it never holds many locks or one long transaction next to the money movements.
 */
@Component
@ConditionalOnRole(Role.WORKER)
class IdempotencyRetention {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyRetention.class);

	static final int BATCH = 5_000;

	private final IdempotencyKeys keys;

	private final Clock clock;

	private final WalletProperties properties;

	private final Counter expired;

	IdempotencyRetention(IdempotencyKeys keys, Clock clock, WalletProperties properties, MeterRegistry meters) {
		this.keys = keys;
		this.clock = clock;
		this.properties = properties;
		this.expired = Counter.builder("wallet.idempotency.keys.expired")
			.description("Idempotency-Keys deleted after the retention period")
			.register(meters);
	}

	/** Deletes every expired key; the number deleted. */
	int purge() {
		var cutoff = clock.instant().minus(properties.idempotencyRetention());
		return Batches.untilShort(BATCH, () -> keys.deleteCreatedBefore(cutoff, BATCH), expired);
	}

	@Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
	void scheduledPurge() {
		try {
			int deleted = purge();
			if (deleted > 0) {
				log.info("Deleted {} Idempotency-Keys older than {}", deleted, properties.idempotencyRetention());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not delete expired Idempotency-Keys: {}", ex.toString());
		}
	}
}
