package io.walleye.wallet;

import java.time.Instant;
import java.util.UUID;

/** A registered customer or business. */
public record Owner(UUID id, String type, String name, String email, Instant createdAt) {
}
