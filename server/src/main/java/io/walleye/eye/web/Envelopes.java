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
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
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
 *
 * <p>One streaming pass over the body: each event's {@code data} is not built into a tree but skipped and cut out
 * of the request bytes as it was sent, which is what the intake stores. That is most of the request's CPU saved.
 */
final class Envelopes {

	private static final int MAX_TEXT = 255;

	private Envelopes() {
	}

	/** One event's envelope as read so far. */
	private static final class Draft {

		@Nullable UUID id;

		@Nullable UUID session;

		@Nullable String category;

		@Nullable String name;

		@Nullable Instant timestamp;

		@Nullable String data;

		boolean sessionSeen;

		boolean categorySeen;

		boolean nameSeen;

		boolean timestampSeen;

		boolean dataSeen;
	}

	static List<QueuedEvent> parse(byte[] body, UUID application, Instant receivedAt, JsonMapper json, Ids ids,
			EyeProperties properties) {
		List<FieldError> errors = new ArrayList<>();
		List<QueuedEvent> events = new ArrayList<>();
		long maxEvent = properties.maxEventSize().toBytes();
		try (JsonParser parser = json.createParser(body)) {
			JsonToken first = parser.nextToken();
			if (first == JsonToken.START_OBJECT) {
				event(parser, body, 0, maxEvent, application, receivedAt, ids, errors, events);
			}
			else if (first == JsonToken.START_ARRAY) {
				int index = 0;
				for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
					if (index >= properties.maxEventsPerRequest()) {
						throw ApiException.payloadTooLarge("too_many_events",
								"A request may carry at most " + properties.maxEventsPerRequest() + " events");
					}
					if (token == JsonToken.START_OBJECT) {
						event(parser, body, index, maxEvent, application, receivedAt, ids, errors, events);
					}
					else {
						errors.add(new FieldError(index, "event", "must be a JSON object"));
						parser.skipChildren();
					}
					index++;
				}
				if (index == 0) {
					throw invalid(List.of(new FieldError(null, "body", "must contain at least one event")));
				}
			}
			else if (first == null) {
				throw ApiException.badRequest("malformed_json", "The body is empty; send an event or an array of events");
			}
			else {
				throw invalid(List.of(new FieldError(null, "body", "must be an event object or an array of events")));
			}
			if (parser.nextToken() != null) {
				throw ApiException.badRequest("malformed_json", "The body has content after its JSON value");
			}
		}
		catch (JacksonException ex) {
			throw ApiException.badRequest("malformed_json", "The body is not valid JSON");
		}
		if (!errors.isEmpty()) {
			throw invalid(errors);
		}
		return events;
	}

	private static void event(JsonParser parser, byte[] body, int index, long maxEvent, UUID application,
			Instant receivedAt, Ids ids, List<FieldError> errors, List<QueuedEvent> events) {
		long start = parser.currentTokenLocation().getByteOffset();
		int before = errors.size();
		Draft draft = new Draft();
		for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
			String field = parser.currentName();
			JsonToken value = parser.nextToken();
			switch (field) {
				case "id" -> {
					if (value != JsonToken.VALUE_NULL) {
						draft.id = uuid(parser, value, index, "id", errors);
					}
				}
				case "session_id" -> {
					draft.sessionSeen = value != JsonToken.VALUE_NULL;
					if (draft.sessionSeen) {
						draft.session = uuid(parser, value, index, "session_id", errors);
					}
				}
				case "category" -> {
					draft.categorySeen = true;
					draft.category = text(parser, value, index, "category", errors);
				}
				case "name" -> {
					draft.nameSeen = true;
					draft.name = text(parser, value, index, "name", errors);
				}
				case "timestamp" -> {
					draft.timestampSeen = true;
					draft.timestamp = timestamp(parser, value, index, errors);
				}
				case "data" -> {
					draft.dataSeen = value != JsonToken.VALUE_NULL;
					if (value == JsonToken.START_OBJECT) {
						long dataStart = parser.currentTokenLocation().getByteOffset();
						parser.skipChildren();
						long dataEnd = parser.currentLocation().getByteOffset();
						draft.data = new String(body, (int) dataStart, (int) (dataEnd - dataStart), StandardCharsets.UTF_8);
					}
					else if (draft.dataSeen) {
						errors.add(new FieldError(index, "data", "must be a JSON object"));
						parser.skipChildren();
					}
				}
				default -> {
					errors.add(new FieldError(index, field, "is not a known field"));
					parser.skipChildren();
				}
			}
		}
		long size = parser.currentLocation().getByteOffset() - start;
		if (size > maxEvent) {
			throw ApiException.payloadTooLarge("event_too_large", "Event " + index + " exceeds " + maxEvent + " bytes")
				.with("index", index);
		}
		required(draft.sessionSeen, index, "session_id", errors);
		required(draft.categorySeen, index, "category", errors);
		required(draft.nameSeen, index, "name", errors);
		required(draft.timestampSeen, index, "timestamp", errors);
		required(draft.dataSeen, index, "data", errors);
		// No new error means every field was read; the null checks only say so to the compiler.
		if (errors.size() == before && draft.session != null && draft.category != null && draft.name != null
				&& draft.timestamp != null && draft.data != null) {
			events.add(new QueuedEvent(application, draft.id == null ? ids.next() : draft.id, draft.session,
					draft.category, draft.name, draft.timestamp, draft.data, receivedAt));
		}
	}

	private static void required(boolean seen, int index, String field, List<FieldError> errors) {
		if (!seen) {
			errors.add(new FieldError(index, field, "is required"));
		}
	}

	private static ApiException invalid(List<FieldError> errors) {
		return new ApiException(HttpStatus.BAD_REQUEST, "invalid_events", "Invalid events",
				"Nothing of this request was stored; fix the events listed in errors and send it again")
			.with("errors", errors);
	}

	private static @Nullable UUID uuid(JsonParser parser, JsonToken value, int index, String field, List<FieldError> errors) {
		if (value == JsonToken.VALUE_STRING) {
			String text = parser.getString();
			if (text.length() == 36) {
				try {
					return UUID.fromString(text);
				}
				catch (IllegalArgumentException ex) {
					// reported below
				}
			}
		}
		else {
			parser.skipChildren();
		}
		errors.add(new FieldError(index, field, "must be a UUID string"));
		return null;
	}

	private static @Nullable String text(JsonParser parser, JsonToken value, int index, String field, List<FieldError> errors) {
		if (value == JsonToken.VALUE_NULL) {
			errors.add(new FieldError(index, field, "is required"));
			return null;
		}
		if (value != JsonToken.VALUE_STRING) {
			parser.skipChildren();
			errors.add(new FieldError(index, field, "must be a string"));
			return null;
		}
		String text = parser.getString();
		if (text.isBlank() || text.length() > MAX_TEXT) {
			errors.add(new FieldError(index, field, "must be 1 to " + MAX_TEXT + " characters"));
			return null;
		}
		return text;
	}

	private static @Nullable Instant timestamp(JsonParser parser, JsonToken value, int index, List<FieldError> errors) {
		if (value == JsonToken.VALUE_NULL) {
			errors.add(new FieldError(index, "timestamp", "is required"));
			return null;
		}
		if (value == JsonToken.VALUE_STRING) {
			Instant parsed = parseTimestamp(parser.getString());
			if (parsed != null) {
				return parsed;
			}
		}
		else {
			parser.skipChildren();
		}
		errors.add(new FieldError(index, "timestamp",
				"must be ISO-8601 (2021-01-01T09:15:27.243Z) or 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC"));
		return null;
	}

	/** ISO-8601 with or without offset, or the applications' "2021-01-01 09:15:27.243860"; no zone means UTC. */
	static @Nullable Instant parseTimestamp(String text) {
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
}
