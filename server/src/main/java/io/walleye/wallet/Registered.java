package io.walleye.wallet;

import java.time.Instant;
import java.util.UUID;

/** A new customer or business with its first API key, shown only here. */
public record Registered(UUID id, String name, String email, String apiKey, Instant createdAt) {
}
