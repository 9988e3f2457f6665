package io.walleye.eye;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** Filters of the events list; null means any. {@code ascending} orders by occurrence, oldest first. */
public record EventQuery(@Nullable UUID applicationId, @Nullable UUID sessionId, @Nullable String category,
		@Nullable String name, @Nullable Instant from, @Nullable Instant to, boolean ascending) {

	public EventQuery forApplication(UUID application) {
		return new EventQuery(application, sessionId, category, name, from, to, ascending);
	}
}
