package io.walleye.eye;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** A validated, stored event. */
public record Event(UUID id, UUID applicationId, UUID sessionId, String category, String name, Instant timestamp,
		JsonNode data, Instant receivedAt, Instant storedAt) {
}
