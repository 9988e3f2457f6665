package io.walleye.eye.worker;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.walleye.eye.persistence.EventStore;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/** Keeps the event store's monthly partitions three months ahead of the clock (at start and every six hours). */
@Component
@ConditionalOnRole(Role.WORKER)
class PartitionMaintenance {

	private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);

	private final EventStore store;

	private final Clock clock;

	PartitionMaintenance(EventStore store, Clock clock) {
		this.store = store;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	@Scheduled(fixedDelayString = "PT6H", initialDelayString = "PT6H")
	void ensurePartitions() {
		try {
			store.ensurePartitions(clock.instant(), 3);
		}
		catch (RuntimeException ex) {
			log.warn("Could not create event partitions ahead: {}", ex.toString());
		}
	}
}
