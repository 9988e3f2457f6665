package io.walleye.identity;

import java.time.Instant;
import java.util.UUID;

/** A freshly issued API key; {@code key} is the only time the secret exists outside the caller's hands. */
public record IssuedKey(UUID id, String key, String prefix, Instant createdAt) {
}
