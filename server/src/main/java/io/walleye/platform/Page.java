package io.walleye.platform;

import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * One page of a keyset-paginated list: {@code {"items":[…],"next_cursor":…}}; {@code next_cursor} is null on the
 * last page.
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {

	/**
	 * Cuts a page from rows fetched with {@code limit + 1}: the extra row only tells that there is more, and the last
	 * row kept gives the cursor.
	 */
	public static <T> Page<T> of(List<T> rows, int limit, Function<T, Cursor> cursorOfRow) {
		if (rows.size() <= limit) {
			return new Page<>(List.copyOf(rows), null);
		}
		List<T> items = List.copyOf(rows.subList(0, limit));
		return new Page<>(items, cursorOfRow.apply(items.get(limit - 1)).encode());
	}

	public <R> Page<R> map(Function<T, R> mapper) {
		return new Page<>(items.stream().map(mapper).toList(), nextCursor);
	}
}
