package io.walleye.eye;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** Filters of the failed-events list (newest failure first); null means any. */
public record FailedQuery(@Nullable UUID applicationId, @Nullable FailureReason reason, @Nullable String category,
		@Nullable String name, @Nullable Instant from, @Nullable Instant to) {

	public FailedQuery forApplication(UUID application) {
		return new FailedQuery(application, reason, category, name, from, to);
	}
}
