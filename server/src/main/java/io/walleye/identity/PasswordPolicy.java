package io.walleye.identity;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an operator's password and username must be. Passwords: at least 12 characters (length is what makes a
 * password hard to guess), at most 72 bytes in UTF-8 (bcrypt ignores the rest, so a longer one would only seem safer).
 */
public final class PasswordPolicy {

	public static final int MIN_LENGTH = 12;

	public static final int MAX_BYTES = 72;

	public static final String PASSWORD_RULE = "must be at least " + MIN_LENGTH + " characters and at most " + MAX_BYTES
			+ " bytes long";

	public static final String USERNAME_RULE = "must be 1 to 64 letters, digits or . _ @ -";

	private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

	private PasswordPolicy() {
	}

	/** Why the password is refused, if it is. */
	public static Optional<String> passwordProblem(String password) {
		boolean ok = password.codePointCount(0, password.length()) >= MIN_LENGTH
				&& password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
		return ok ? Optional.empty() : Optional.of(PASSWORD_RULE);
	}

	public static Optional<String> usernameProblem(String username) {
		return USERNAME.matcher(username).matches() ? Optional.empty() : Optional.of(USERNAME_RULE);
	}
}
