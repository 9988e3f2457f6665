package io.walleye.eye.intake;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An accepted event on its way to the worker; {@code data} is the payload's JSON text, {@code context} what the server
 * recorded about where it came from (JSON text: a browser event's origin and user agent), null when nothing.
 */
public record QueuedEvent(UUID applicationId, UUID id, UUID sessionId, String category, String name,
		Instant occurredAt, String data, Instant receivedAt, @Nullable String context) {

	public QueuedEvent(UUID applicationId, UUID id, UUID sessionId, String category, String name, Instant occurredAt,
			String data, Instant receivedAt) {
		this(applicationId, id, sessionId, category, name, occurredAt, data, receivedAt, null);
	}

	public QueuedEvent withContext(@Nullable String context) {
		return new QueuedEvent(applicationId, id, sessionId, category, name, occurredAt, data, receivedAt, context);
	}
}
