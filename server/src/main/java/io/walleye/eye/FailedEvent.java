package io.walleye.eye;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** An accepted event that failed validation: why, the validator's messages, and the event as it was accepted. */
public record FailedEvent(UUID id, UUID applicationId, UUID sessionId, String category, String name,
		Instant timestamp, FailureReason reason, List<String> messages, JsonNode raw, Instant receivedAt,
		Instant failedAt) {
}
