package io.walleye.eye;

import java.time.Instant;
import java.util.UUID;

import io.walleye.identity.IssuedKey;

/** A new application with its first API key, whose secret exists only in this value. */
public record CreatedApplication(UUID id, String name, Instant createdAt, IssuedKey key) {
}
