package io.walleye.webhooks;

import java.time.Instant;

/** The new secret of an endpoint (shown this once) and until when the previous one still signs. */
public record RotatedSecret(String secret, Instant previousSecretExpiresAt) {
}
