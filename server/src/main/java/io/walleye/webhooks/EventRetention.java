package io.walleye.webhooks;

import java.time.Clock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.walleye.platform.Batches;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;
import io.walleye.webhooks.persistence.Outbox;

/**
 * Deletes events older than {@code walleye.webhooks.retention} with their deliveries and attempts, so that the outbox
 * holds about a month of changes instead of every change ever made (the histories keep the operations themselves).
 * Batches of {@value #BATCH}, each its own short transaction beside the money movements; several workers take turns.
 */
@Component
@ConditionalOnRole(Role.WORKER)
class EventRetention {

	private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

	static final int BATCH = 5_000;

	private final Outbox outbox;

	private final Clock clock;

	private final WebhooksProperties properties;

	private final Counter deleted;

	private final TransactionTemplate transaction;

	EventRetention(Outbox outbox, Clock clock, WebhooksProperties properties, MeterRegistry meters,
			PlatformTransactionManager transactions) {
		this.outbox = outbox;
		this.transaction = new TransactionTemplate(transactions);
		this.clock = clock;
		this.properties = properties;
		this.deleted = Counter.builder("webhooks.events.expired")
			.description("Webhook events deleted with their deliveries after the retention period")
			.register(meters);
	}

	/** Expires every event past the retention period (Outbox#expire); the number expired. */
	int purge() {
		var cutoff = clock.instant().minus(properties.retention());
		return Batches.untilShort(BATCH, () -> {
			Integer expired = transaction.execute(tx -> outbox.expire(cutoff, BATCH));
			return expired == null ? 0 : expired;
		}, deleted);
	}

	@Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT2M")
	void scheduledPurge() {
		try {
			int count = purge();
			if (count > 0) {
				log.info("Deleted {} webhook events older than {}", count, properties.retention());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not delete expired webhook events: {}", ex.toString());
		}
	}
}
