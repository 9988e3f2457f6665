package io.walleye.platform;

import java.time.Instant;

/**
 * The instants Walleye accepts from clients: years 0001 to 9999. PostgreSQL's timestamptz would keep 4713 BC to
 * 294276 AD, but {@link java.sql.Timestamp} overflows long before the ends of {@link Instant}'s range, and no caller
 * means a date outside four-digit years; one range for every query parameter and cursor keeps the answer the same.
 */
public final class InstantRange {

	public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");

	public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

	/** What a client is told when an instant is outside the range. */
	public static final String REQUIREMENT = "must be between " + MIN + " and " + MAX;

	private InstantRange() {
	}

	public static boolean contains(Instant instant) {
		return !instant.isBefore(MIN) && !instant.isAfter(MAX);
	}
}
