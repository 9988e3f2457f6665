package io.walleye.eye;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.walleye.identity.ApiKeyView;

/** A trusted client of The Eye and its API keys (never the secrets). */
public record Application(UUID id, String name, Instant createdAt, List<ApiKeyView> apiKeys) {
}
