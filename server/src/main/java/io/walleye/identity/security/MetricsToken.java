package io.walleye.identity.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The scrape credential of {@code /actuator/prometheus} ({@code WALLEYE_METRICS_TOKEN}), for a Prometheus that has no
 * operator account; unset or blank, only operators' access tokens open the endpoint.
 *
 * @param token the secret Prometheus sends as {@code Authorization: Bearer <token>}
 */
@ConfigurationProperties("walleye.metrics")
record MetricsToken(@Nullable String token) {

	/**
	 * Whether the bearer is the configured token. Both sides are hashed first, so the comparison takes the same time
	 * whatever the length and content of a guess ({@link MessageDigest#isEqual} is constant-time for equal lengths).
	 */
	boolean matches(String bearer) {
		String configured = token;
		if (configured == null || configured.isBlank()) {
			return false;
		}
		return MessageDigest.isEqual(sha256(configured.trim()), sha256(bearer));
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
