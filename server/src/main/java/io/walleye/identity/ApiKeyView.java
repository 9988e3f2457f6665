package io.walleye.identity;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** An API key as it may be shown again: its id and readable prefix, never the secret. */
public record ApiKeyView(UUID id, String prefix, Instant createdAt, @Nullable Instant revokedAt) {
}
