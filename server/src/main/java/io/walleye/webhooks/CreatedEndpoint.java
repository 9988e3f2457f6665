package io.walleye.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** An endpoint just created, with its signing secret: shown this once. */
public record CreatedEndpoint(UUID id, String ownerType, UUID ownerId, String url, @Nullable String description,
		List<String> eventTypes, boolean enabled, @Nullable String disabledReason, int consecutiveFailures,
		@Nullable Instant previousSecretExpiresAt, Instant createdAt, Instant updatedAt, String secret) {

	static CreatedEndpoint of(EndpointView view, String secret) {
		return new CreatedEndpoint(view.id(), view.ownerType(), view.ownerId(), view.url(), view.description(),
				view.eventTypes(), view.enabled(), view.disabledReason(), view.consecutiveFailures(),
				view.previousSecretExpiresAt(), view.createdAt(), view.updatedAt(), secret);
	}
}
