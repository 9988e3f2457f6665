package io.walleye.eye.client;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event for The Eye. The id is generated here, on the client, so that a batch sent again after a timeout is
 * stored once by the server (which deduplicates on application + id).
 *
 * @param id unique per application; {@link #of} generates a random UUID
 * @param sessionId the session the event belongs to (the application generates it)
 * @param category e.g. {@code page interaction}
 * @param name e.g. {@code pageview}
 * @param timestamp when it happened
 * @param data the payload, a JSON object (a {@code Map}, a record, a Jackson node)
 */
public record EyeEvent(UUID id, UUID sessionId, String category, String name, Instant timestamp, Object data) {

	public EyeEvent {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(sessionId, "sessionId");
		Objects.requireNonNull(category, "category");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(timestamp, "timestamp");
		Objects.requireNonNull(data, "data");
	}

	/** An event happening now, with a fresh id. */
	public static EyeEvent of(UUID sessionId, String category, String name, Map<String, ?> data) {
		return new EyeEvent(UUID.randomUUID(), sessionId, category, name, Instant.now(), data);
	}

	public static EyeEvent of(UUID sessionId, String category, String name, Instant timestamp, Object data) {
		return new EyeEvent(UUID.randomUUID(), sessionId, category, name, timestamp, data);
	}
}
