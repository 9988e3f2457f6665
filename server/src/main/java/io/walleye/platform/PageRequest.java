package io.walleye.platform;

import org.jspecify.annotations.Nullable;

/** {@code ?limit=&cursor=} of a list endpoint: limit defaults to 50 and may not exceed 500. */
public record PageRequest(int limit, @Nullable String cursor) {

	public static final int DEFAULT_LIMIT = 50;

	public static final int MAX_LIMIT = 500;

	public static PageRequest of(@Nullable Integer limit, @Nullable String cursor) {
		int resolved = limit == null ? DEFAULT_LIMIT : limit;
		if (resolved < 1 || resolved > MAX_LIMIT) {
			throw new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, "validation_failed",
					"Validation failed", "limit must be between 1 and " + MAX_LIMIT)
				.with("errors", java.util.List.of(FieldError.of("limit", "must be between 1 and " + MAX_LIMIT)));
		}
		return new PageRequest(resolved, cursor == null || cursor.isBlank() ? null : cursor);
	}

	/** Rows to fetch: one more than the page, to know whether another page follows. */
	public int fetchSize() {
		return limit + 1;
	}

	public @Nullable Cursor decodeCursor(int expectedValues) {
		return cursor == null ? null : Cursor.decode(cursor, expectedValues);
	}
}
