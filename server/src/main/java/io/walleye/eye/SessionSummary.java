package io.walleye.eye;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What is known of a session: its first and last event, how many, and which applications sent them. */
public record SessionSummary(UUID sessionId, Instant firstTimestamp, Instant lastTimestamp, long count,
		List<UUID> applications) {
}
