package io.walleye.etl.pipeline;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Turns one GitHub repository record into a typed row, or says why it cannot: plain Java, no database, so the rules
 * (nulls cleaned, strings trimmed, numbers checked) are tested on their own.
 */
final class Transform {

	private Transform() {
	}

	sealed interface Outcome {
	}

	record Row(RepositoryRow row) implements Outcome {
	}

	record Reject(String reason) implements Outcome {
	}

	static final class Invalid extends RuntimeException {

		private final String reason;

		Invalid(String reason) {
			super(reason, null, false, false);
			this.reason = reason;
		}

		String reason() {
			return reason;
		}
	}

	static Outcome of(JsonNode record) {
		try {
			if (!record.isObject()) {
				throw new Invalid("record is not a JSON object");
			}
			long id = requiredLong(record, "id");
			if (id <= 0) {
				throw new Invalid("id must be positive");
			}
			JsonNode owner = record.path("owner");
			String fullName = required(record, "full_name");
			String ownerLogin = text(owner, "login");
			if (ownerLogin == null) {
				ownerLogin = fullName.contains("/") ? fullName.substring(0, fullName.indexOf('/')) : null;
			}
			if (ownerLogin == null) {
				throw new Invalid("owner.login is missing");
			}
			String name = text(record, "name");
			if (name == null) {
				name = fullName.substring(fullName.indexOf('/') + 1);
			}
			JsonNode license = record.path("license");
			String spdx = license.isObject() ? text(license, "spdx_id") : null;
			return new Row(new RepositoryRow(id, fullName, ownerLogin, text(owner, "type"), name,
					text(record, "description"), text(record, "html_url"), text(record, "homepage"),
					text(record, "language"), topics(record), spdx, count(record, "stargazers_count"),
					count(record, "forks_count"), count(record, "open_issues_count"), count(record, "watchers_count"),
					text(record, "default_branch"), bool(record, "fork"), bool(record, "archived"),
					count(record, "size"), requiredInstant(record, "created_at"),
					requiredInstant(record, "updated_at"), instant(record, "pushed_at"), record));
		}
		catch (Invalid invalid) {
			return new Reject(invalid.reason());
		}
	}

	private static String required(JsonNode record, String field) {
		String value = text(record, field);
		if (value == null) {
			throw new Invalid(field + " is missing");
		}
		return value;
	}

	/** Trimmed text; null for a missing, null or blank value. */
	static @Nullable String text(JsonNode record, String field) {
		JsonNode node = record.get(field);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isString()) {
			throw new Invalid(field + " is not a string");
		}
		String trimmed = node.asString().trim();
		return trimmed.isEmpty() ? null : trimmed;
	}

	private static long requiredLong(JsonNode record, String field) {
		JsonNode node = record.get(field);
		if (node == null || node.isNull()) {
			throw new Invalid(field + " is missing");
		}
		if (!node.isIntegralNumber() || !node.canConvertToLong()) {
			throw new Invalid(field + " is not an integer");
		}
		return node.asLong();
	}

	/** A non-negative int; missing or null count as 0 (GitHub omits some counts in some listings). */
	private static int count(JsonNode record, String field) {
		JsonNode node = record.get(field);
		if (node == null || node.isNull()) {
			return 0;
		}
		if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0) {
			throw new Invalid(field + " is not a non-negative integer");
		}
		return node.asInt();
	}

	private static boolean bool(JsonNode record, String field) {
		JsonNode node = record.get(field);
		if (node == null || node.isNull()) {
			return false;
		}
		if (!node.isBoolean()) {
			throw new Invalid(field + " is not a boolean");
		}
		return node.asBoolean();
	}

	private static Instant requiredInstant(JsonNode record, String field) {
		Instant instant = instant(record, field);
		if (instant == null) {
			throw new Invalid(field + " is missing");
		}
		return instant;
	}

	private static @Nullable Instant instant(JsonNode record, String field) {
		String value = text(record, field);
		if (value == null) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new Invalid(field + " is not an ISO-8601 timestamp");
		}
	}

	private static List<String> topics(JsonNode record) {
		JsonNode node = record.get("topics");
		if (node == null || node.isNull()) {
			return List.of();
		}
		if (!node.isArray()) {
			throw new Invalid("topics is not an array");
		}
		Set<String> topics = new LinkedHashSet<>();
		for (JsonNode topic : node) {
			if (topic.isString() && !topic.asString().isBlank()) {
				topics.add(topic.asString().trim().toLowerCase(java.util.Locale.ROOT));
			}
		}
		return new ArrayList<>(topics);
	}
}
