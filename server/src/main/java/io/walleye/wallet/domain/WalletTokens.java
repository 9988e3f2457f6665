package io.walleye.wallet.domain;

import java.security.SecureRandom;

/** Wallet tokens: {@code wal_} and 24 base62 characters (about 143 random bits), safe in URLs. */
public final class WalletTokens {

	private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	public static final String PREFIX = "wal_";

	private WalletTokens() {
	}

	public static String generate() {
		StringBuilder token = new StringBuilder(PREFIX);
		for (int i = 0; i < 24; i++) {
			token.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
		}
		return token.toString();
	}

	public static boolean looksValid(String token) {
		return token.startsWith(PREFIX) && token.length() == PREFIX.length() + 24
				&& token.substring(PREFIX.length()).chars().allMatch(Character::isLetterOrDigit);
	}
}
