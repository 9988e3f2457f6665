package io.walleye.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A delivery of an event to an endpoint: {@code pending} (with the next attempt's time), {@code delivered} or
 * {@code failed}, with every attempt.
 */
public record DeliveryView(UUID id, UUID endpointId, UUID eventId, String eventType, String status, int attemptCount,
		@Nullable Instant nextAttemptAt, @Nullable Integer lastStatusCode, @Nullable String lastError,
		Instant createdAt, @Nullable Instant finishedAt, List<Attempt> attempts) {

	/** One attempt: when, the response status (null when none came), how long, the response's first 1 KiB. */
	public record Attempt(int attempt, Instant attemptedAt, @Nullable Integer statusCode, int durationMs,
			@Nullable String responseBody, @Nullable String error) {
	}
}
