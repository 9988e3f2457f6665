package io.walleye.eye;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A validated, stored event. {@code context} is what the server recorded about its sender (a browser event's
 * {@code origin} and {@code user_agent}); null for events sent with a secret key.
 */
public record Event(UUID id, UUID applicationId, UUID sessionId, String category, String name, Instant timestamp,
		JsonNode data, @Nullable JsonNode context, Instant receivedAt, Instant storedAt) {
}
