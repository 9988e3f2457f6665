package io.walleye.eye.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;

import io.walleye.eye.EyeProperties;
import io.walleye.eye.intake.QueuedEvent;
import io.walleye.platform.ApiException;
import io.walleye.platform.FieldError;
import io.walleye.platform.Ids;

/**
 * The cheap checks made in the request: JSON syntax, sizes and the envelope of every event. Any error refuses the
 * whole request, listing every problem found by index and field; the payload itself is the worker's business.
 */
final class Envelopes {

	private static final Set<String> FIELDS = Set.of("id", "session_id", "category", "name", "data", "timestamp");

	private static final int MAX_TEXT = 255;

	/** Envelope fields (ids, names, timestamp) and JSON punctuation never take more than this beside the data. */
	private static final int ENVELOPE_OVERHEAD = 200;

	private Envelopes() {
	}

	static List<QueuedEvent> parse(byte[] body, UUID application, Instant receivedAt, JsonMapper json, Ids ids,
			EyeProperties properties) {
		JsonNode root;
		try {
			root = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw ApiException.badRequest("malformed_json", "The body is not valid JSON");
		}
		if (root == null || root.isMissingNode() || !(root.isObject() || root.isArray())) {
			throw invalid(List.of(new FieldError(null, "body", "must be an event object or an array of events")));
		}
		List<JsonNode> items = new ArrayList<>();
		if (root.isObject()) {
			items.add(root);
		}
		else {
			root.forEach(items::add);
		}
		if (items.isEmpty()) {
			throw invalid(List.of(new FieldError(null, "body", "must contain at least one event")));
		}
		if (items.size() > properties.maxEventsPerRequest()) {
			throw ApiException.payloadTooLarge("too_many_events",
					"A request may carry at most " + properties.maxEventsPerRequest() + " events, not " + items.size());
		}
		long maxEvent = properties.maxEventSize().toBytes();
		List<FieldError> errors = new ArrayList<>();
		List<QueuedEvent> events = new ArrayList<>(items.size());
		for (int index = 0; index < items.size(); index++) {
			JsonNode item = items.get(index);
			if (!item.isObject()) {
				errors.add(new FieldError(index, "event", "must be a JSON object"));
				continue;
			}
			int before = errors.size();
			for (String field : item.propertyNames()) {
				if (!FIELDS.contains(field)) {
					errors.add(new FieldError(index, field, "is not a known field"));
				}
			}
			UUID id = null;
			JsonNode idNode = item.get("id");
			if (idNode != null && !idNode.isNull()) {
				id = uuid(idNode, index, "id", errors);
			}
			UUID session = null;
			JsonNode sessionNode = item.get("session_id");
			if (sessionNode == null || sessionNode.isNull()) {
				errors.add(new FieldError(index, "session_id", "is required"));
			}
			else {
				session = uuid(sessionNode, index, "session_id", errors);
			}
			String category = text(item, index, "category", errors);
			String name = text(item, index, "name", errors);
			JsonNode data = item.get("data");
			String dataText = null;
			if (data == null || data.isNull()) {
				errors.add(new FieldError(index, "data", "is required"));
			}
			else if (!data.isObject()) {
				errors.add(new FieldError(index, "data", "must be a JSON object"));
			}
			else {
				dataText = json.writeValueAsString(data);
			}
			Instant timestamp = timestamp(item.get("timestamp"), index, errors);
			if (dataText != null && utf8Length(dataText) + ENVELOPE_OVERHEAD > maxEvent) {
				throw ApiException.payloadTooLarge("event_too_large",
						"Event " + index + " exceeds " + maxEvent + " bytes").with("index", index);
			}
			if (errors.size() == before) {
				events.add(new QueuedEvent(application, id == null ? ids.next() : id, session, category, name,
						timestamp, dataText, receivedAt));
			}
		}
		if (!errors.isEmpty()) {
			throw invalid(errors);
		}
		return events;
	}

	private static ApiException invalid(List<FieldError> errors) {
		return new ApiException(HttpStatus.BAD_REQUEST, "invalid_events", "Invalid events",
				"Nothing of this request was stored; fix the events listed in errors and send it again")
			.with("errors", errors);
	}

	private static UUID uuid(JsonNode node, int index, String field, List<FieldError> errors) {
		if (node.isString()) {
			try {
				String value = node.asString();
				if (value.length() == 36) {
					return UUID.fromString(value);
				}
			}
			catch (IllegalArgumentException ex) {
				// reported below
			}
		}
		errors.add(new FieldError(index, field, "must be a UUID string"));
		return null;
	}

	private static String text(JsonNode item, int index, String field, List<FieldError> errors) {
		JsonNode node = item.get(field);
		if (node == null || node.isNull()) {
			errors.add(new FieldError(index, field, "is required"));
			return null;
		}
		if (!node.isString()) {
			errors.add(new FieldError(index, field, "must be a string"));
			return null;
		}
		String value = node.asString();
		if (value.isBlank() || value.length() > MAX_TEXT) {
			errors.add(new FieldError(index, field, "must be 1 to " + MAX_TEXT + " characters"));
			return null;
		}
		return value;
	}

	static Instant timestamp(JsonNode node, int index, List<FieldError> errors) {
		if (node == null || node.isNull()) {
			errors.add(new FieldError(index, "timestamp", "is required"));
			return null;
		}
		if (node.isString()) {
			Instant parsed = parseTimestamp(node.asString());
			if (parsed != null) {
				return parsed;
			}
		}
		errors.add(new FieldError(index, "timestamp",
				"must be ISO-8601 (2021-01-01T09:15:27.243Z) or 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC"));
		return null;
	}

	/** ISO-8601 with or without offset, or the applications' "2021-01-01 09:15:27.243860"; no zone means UTC. */
	static Instant parseTimestamp(String text) {
		if (text.length() < 19 || text.length() > 40) {
			return null;
		}
		String iso = text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
		try {
			TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, OffsetDateTime::from,
					LocalDateTime::from);
			Instant instant = parsed instanceof OffsetDateTime offset ? offset.toInstant()
					: ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
			int year = instant.atOffset(ZoneOffset.UTC).getYear();
			return year < 1970 || year > 9999 ? null : instant;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static int utf8Length(String text) {
		int length = text.length();
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) >= 0x80) {
				return text.getBytes(StandardCharsets.UTF_8).length;
			}
		}
		return length;
	}
}
