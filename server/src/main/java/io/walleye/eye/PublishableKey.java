package io.walleye.eye;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A key that websites embed in their pages to send an application's events from visitors' browsers. It is public by
 * design, so it is shown in full; it can only send events, and only from its allowed origins.
 */
public record PublishableKey(UUID id, UUID applicationId, String key, List<String> allowedOrigins, Instant createdAt,
		@Nullable Instant revokedAt) {
}
