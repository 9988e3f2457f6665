package io.walleye.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Makes and hashes bearer secrets. Secrets carry 192 random bits, so a fast SHA-256 is the right hash for them (a slow
 * hash protects guessable passwords, not random keys) and keeps authentication off the hot path's budget.
 */
final class Secrets {

	private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	private Secrets() {
	}

	/** {@code prefix} followed by 32 base62 characters (≥ 190 bits of entropy). */
	static String generate(String prefix) {
		StringBuilder secret = new StringBuilder(prefix);
		for (int i = 0; i < 32; i++) {
			secret.append(BASE62[RANDOM.nextInt(BASE62.length)]);
		}
		return secret.toString();
	}

	/** A generated operator password: 20 base62 characters (≥ 119 bits). */
	static String password() {
		return generate("").substring(0, 20);
	}

	static byte[] hash(String secret) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** What may be shown to people to recognise a key: its kind prefix and the first few characters. */
	static String displayPrefix(String secret) {
		return secret.substring(0, Math.min(secret.length(), 10));
	}
}
