package io.walleye.platform;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A change that the change feed and webhooks tell of, published inside the transaction that makes it (see
 * {@link Changes#emit}). {@code owner} is the customer or business whose feed shows it; null means operators only.
 * {@code data} is serialised as the API serialises it.
 */
public record Change(String type, @Nullable UUID owner, Object data) {
}
