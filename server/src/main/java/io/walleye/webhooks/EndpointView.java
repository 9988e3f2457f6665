package io.walleye.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An endpoint as its owner sees it, never with its secret. {@code eventTypes} empty means every type the owner may
 * see; {@code previousSecretExpiresAt} is set while a rotated-out secret still signs.
 */
public record EndpointView(UUID id, String ownerType, UUID ownerId, String url, @Nullable String description,
		List<String> eventTypes, boolean enabled, @Nullable String disabledReason, int consecutiveFailures,
		@Nullable Instant previousSecretExpiresAt, Instant createdAt, Instant updatedAt) {
}
