package io.walleye.webhooks;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.walleye.platform.Change;
import io.walleye.platform.Ids;
import io.walleye.webhooks.persistence.Outbox;

/**
 * Writes the changes a transaction emits into the outbox of that same transaction: collected as they come, written in
 * one statement just before the commit (after every lock the transaction took: that time orders the feed, see
 * Outbox#sequence), and announced to this process's readers after the commit. A rollback discards them with the
 * change.
 */
@Component
class OutboxRecorder {

	private final Outbox outbox;

	private final FeedSignal signal;

	private final JsonMapper json;

	private final Ids ids;

	private final Clock clock;

	OutboxRecorder(Outbox outbox, FeedSignal signal, JsonMapper json, Ids ids, Clock clock) {
		this.outbox = outbox;
		this.signal = signal;
		this.json = json;
		this.ids = ids;
		this.clock = clock;
	}

	/** The event's document as delivered and listed: {@code {"id","type","created_at","data"}}. */
	record EventDocument(UUID id, String type, Instant createdAt, Object data) {
	}

	@EventListener
	void record(Change change) {
		Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
		if (pending == null) {
			pending = new Pending();
			TransactionSynchronizationManager.bindResource(this, pending);
			TransactionSynchronizationManager.registerSynchronization(pending);
		}
		pending.events.add(event(change));
	}

	Outbox.NewEvent event(Change change) {
		UUID id = ids.next();
		Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
		String body = json.writeValueAsString(new EventDocument(id, change.type(), now, change.data()));
		return new Outbox.NewEvent(id, change.type(), change.owner(), body, now);
	}

	/** One transaction's events. */
	private final class Pending implements TransactionSynchronization {

		private final List<Outbox.NewEvent> events = new ArrayList<>();

		@Override
		public void beforeCommit(boolean readOnly) {
			outbox.append(events);
		}

		@Override
		public void afterCommit() {
			signal.changed();
		}

		@Override
		public void afterCompletion(int status) {
			TransactionSynchronizationManager.unbindResourceIfPossible(OutboxRecorder.this);
		}

		/** Last of all before the commit: the events' written time then follows every lock of the transaction. */
		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}
	}
}
