package io.walleye.platform;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one call a module makes to tell the change feed and webhooks of a change: {@code changes.emit("hold.created",
 * ownerId, view)}. The event is written in the caller's transaction (an outbox), so it exists exactly when the change
 * commits; a module publishes without depending on the module that stores and delivers it.
 */
@Component
public class Changes {

	private final ApplicationEventPublisher publisher;

	Changes(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	/**
	 * Records a change of {@code type} for {@code owner} (null: operators only) in the current transaction.
	 *
	 * @throws IllegalStateException outside a transaction, where no outbox can be atomic with the change
	 */
	public void emit(String type, @Nullable UUID owner, Object data) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			throw new IllegalStateException("A change (" + type + ") must be emitted inside the transaction that makes it");
		}
		publisher.publishEvent(new Change(type, owner, data));
	}
}
