package io.walleye.eye.intake;

import java.time.Instant;
import java.util.UUID;

/** An accepted event on its way to the worker; {@code data} is the payload's JSON text. */
public record QueuedEvent(UUID applicationId, UUID id, UUID sessionId, String category, String name,
		Instant occurredAt, String data, Instant receivedAt) {
}
