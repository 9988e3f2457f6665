package io.walleye.platform;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The position after the last row of a page, as the values of the sort key (e.g. created_at and id). Opaque to
 * clients: base64url of the values, so that a cursor cannot be mistaken for an offset.
 */
public record Cursor(List<String> values) {

	private static final char SEPARATOR = '\u001f';

	public static Cursor of(Object... values) {
		return new Cursor(Arrays.stream(values).map(String::valueOf).toList());
	}

	public String encode() {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(String.join(String.valueOf(SEPARATOR), values).getBytes(StandardCharsets.UTF_8));
	}

	/** Reads a cursor a client sent back; anything that is not one of ours is a 400 {@code invalid_cursor}. */
	public static Cursor decode(String encoded, int expectedValues) {
		try {
			String text = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
			List<String> values = Arrays.asList(text.split(String.valueOf(SEPARATOR), -1));
			// NUL cannot reach PostgreSQL text parameters; a cursor carrying one was not issued here.
			if (values.size() != expectedValues || text.indexOf('\u0000') >= 0) {
				throw invalid();
			}
			return new Cursor(values);
		}
		catch (IllegalArgumentException ex) {
			throw invalid();
		}
	}

	public String string(int index) {
		return values.get(index);
	}

	/** The instant at {@code index}, refused when outside {@link InstantRange}: this API never issues such a cursor. */
	public Instant instant(int index) {
		try {
			Instant instant = Instant.parse(values.get(index));
			if (!InstantRange.contains(instant)) {
				throw invalid();
			}
			return instant;
		}
		catch (DateTimeParseException ex) {
			throw invalid();
		}
	}

	public UUID uuid(int index) {
		try {
			return UUID.fromString(values.get(index));
		}
		catch (IllegalArgumentException ex) {
			throw invalid();
		}
	}

	public long number(int index) {
		try {
			return Long.parseLong(values.get(index));
		}
		catch (NumberFormatException ex) {
			throw invalid();
		}
	}

	private static ApiException invalid() {
		return ApiException.badRequest("invalid_cursor", "The cursor is not one this API issued");
	}
}
