package io.walleye.webhooks.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing: a secret is {@code whsec_} + base64 of 32 random bytes; a request's signature is
 * {@code v1,} + base64 of HMAC-SHA256, keyed with the secret's bytes, over {@code id.timestamp.body}. During a
 * rotation every live secret signs, space-separated, so a receiver with either secret accepts.
 */
public final class Signatures {

	public static final String SECRET_PREFIX = "whsec_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private Signatures() {
	}

	public static String newSecret() {
		byte[] key = new byte[32];
		RANDOM.nextBytes(key);
		return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
	}

	/** The {@code webhook-signature} header value: one {@code v1,<base64>} per secret, space-separated. */
	public static String header(List<String> secrets, String id, long timestamp, String body) {
		return secrets.stream().map(secret -> sign(secret, id, timestamp, body)).collect(Collectors.joining(" "));
	}

	public static String sign(String secret, String id, long timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
			byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			return "v1," + Base64.getEncoder().encodeToString(digest);
		}
		catch (GeneralSecurityException ex) {
			// HmacSHA256 is a mandatory JDK algorithm; its absence is a broken runtime, not a request's fault.
			throw new IllegalStateException("HmacSHA256 unavailable", ex);
		}
	}

	private static byte[] key(String secret) {
		String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
		return Base64.getDecoder().decode(encoded);
	}
}
