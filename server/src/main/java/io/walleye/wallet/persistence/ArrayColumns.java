package io.walleye.wallet.persistence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.support.SqlArrayValue;

/**
 * Rows gathered column by column, each column bound as one text array that the statement casts to its type
 * ({@code unnest(:c0::uuid[], ...)}): PostgreSQL parses every value exactly as it would a literal, and nulls stay
 * nulls. Many rows are then one statement with a parameter per column, not per value.
 */
final class ArrayColumns {

	private final List<List<@Nullable String>> columns = new ArrayList<>();

	ArrayColumns(int width) {
		for (int i = 0; i < width; i++) {
			columns.add(new ArrayList<>());
		}
	}

	void add(@Nullable Object... row) {
		for (int i = 0; i < row.length; i++) {
			Object value = row[i];
			columns.get(i).add(value == null ? null : value.toString());
		}
	}

	Map<String, Object> params(String prefix) {
		Map<String, Object> params = new LinkedHashMap<>();
		for (int i = 0; i < columns.size(); i++) {
			params.put(prefix + i, new SqlArrayValue("text", columns.get(i).toArray()));
		}
		return params;
	}
}
