package io.walleye.eye.web;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

import io.walleye.eye.EyeProperties;
import io.walleye.eye.intake.InvalidEvents;
import io.walleye.eye.intake.QueuedEvent;
import io.walleye.platform.ApiException;
import io.walleye.platform.FieldError;
import io.walleye.platform.Ids;

/**
 * The cheap checks made in the request: JSON syntax, sizes, the envelope of every event, and every value PostgreSQL
 * would refuse. Any error refuses the whole request, listing every problem found by index and field; whether the data
 * matches its schema is the worker's business.
 *
 * <p>The intake commits many requests, from any application, in one statement: a value the database refuses there
 * would fail all of them. So everything it would refuse (NUL and unpaired surrogates in text, numbers beyond
 * {@code numeric}) is found here, per item. One streaming pass over the body: each event's {@code data} is not built
 * into a tree but copied token by token into its compact form, which is what the intake stores and what the event
 * size is measured on (escapes and whitespace in the request do not count). Numbers are copied as the text sent, so
 * no digit is lost to a {@code double}.
 */
final class Envelopes {

	private static final int MAX_TEXT = 255;

	/** What the event size allows for the envelope on top of its data (docs/eye.md). */
	private static final int ENVELOPE_ALLOWANCE = 200;

	/** PostgreSQL's {@code numeric}, which {@code jsonb} stores numbers in: digits before and after the point. */
	private static final int NUMERIC_MAX_INTEGER_DIGITS = 131_072;

	private static final int NUMERIC_MAX_SCALE = 16_383;

	/** Past this, a client is told the first ones only: enough to fix the request, not a response as big as it. */
	private static final int MAX_ERRORS = 100;

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
		try (JsonParser parser = json.createParser(body)) {
			JsonToken first = parser.nextToken();
			if (first == null) {
				throw ApiException.badRequest("malformed_json", "The body is empty; send an event or an array of events");
			}
			items(parser, first, "body", application, receivedAt, json, ids, properties, errors, events);
			end(parser);
		}
		catch (JacksonException ex) {
			throw malformed();
		}
		if (!errors.isEmpty()) {
			throw invalid(errors);
		}
		return events;
	}

	/**
	 * The publishable key of a browser body, {@code {"key": "pk_…", "events": […]}}, read before anything else is
	 * checked: the key decides whose events these are and which origins may send them.
	 */
	static String browserKey(byte[] body, JsonMapper json) {
		try (JsonParser parser = json.createParser(body)) {
			JsonToken first = parser.nextToken();
			if (first == null) {
				throw ApiException.badRequest("malformed_json", "The body is empty; send {\"key\": …, \"events\": […]}");
			}
			if (first != JsonToken.START_OBJECT) {
				throw invalid(List.of(new FieldError(null, "body", "must be an object {\"key\": …, \"events\": […]}")));
			}
			String key = null;
			for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
				String field = parser.currentName();
				JsonToken value = parser.nextToken();
				if (field.equals("key") && value == JsonToken.VALUE_STRING) {
					key = parser.getString();
				}
				else {
					parser.skipChildren();
				}
			}
			end(parser);
			if (key == null || key.isBlank()) {
				throw invalid(List.of(FieldError.of("key", "is required: the site's publishable key (pk_…)")));
			}
			return key;
		}
		catch (JacksonException ex) {
			throw malformed();
		}
	}

	/** The events of a browser body whose key has been checked; the same envelope checks as {@link #parse}. */
	static List<QueuedEvent> parseBrowser(byte[] body, UUID application, Instant receivedAt, JsonMapper json, Ids ids,
			EyeProperties properties) {
		List<FieldError> errors = new ArrayList<>();
		List<QueuedEvent> events = new ArrayList<>();
		boolean seen = false;
		try (JsonParser parser = json.createParser(body)) {
			parser.nextToken();
			for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
				String field = parser.currentName();
				JsonToken value = parser.nextToken();
				switch (field) {
					case "key" -> parser.skipChildren();
					case "events" -> {
						seen = true;
						items(parser, value, "events", application, receivedAt, json, ids, properties, errors, events);
					}
					default -> {
						errors.add(FieldError.of(field, "is not a known field"));
						parser.skipChildren();
					}
				}
			}
		}
		catch (JacksonException ex) {
			throw malformed();
		}
		if (!seen) {
			errors.add(FieldError.of("events", "is required"));
		}
		if (!errors.isEmpty()) {
			throw invalid(errors);
		}
		return events;
	}

	/** One event object or an array of them, the parser on its first token; {@code field} names it in errors. */
	private static void items(JsonParser parser, JsonToken first, String field, UUID application, Instant receivedAt,
			JsonMapper json, Ids ids, EyeProperties properties, List<FieldError> errors, List<QueuedEvent> events) {
		long maxEvent = properties.maxEventSize().toBytes();
		if (first == JsonToken.START_OBJECT) {
			event(parser, json, 0, maxEvent, application, receivedAt, ids, errors, events);
		}
		else if (first == JsonToken.START_ARRAY) {
			int index = 0;
			for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
				if (index >= properties.maxEventsPerRequest()) {
					throw ApiException.payloadTooLarge("too_many_events",
							"A request may carry at most " + properties.maxEventsPerRequest() + " events");
				}
				if (token == JsonToken.START_OBJECT) {
					event(parser, json, index, maxEvent, application, receivedAt, ids, errors, events);
				}
				else {
					errors.add(new FieldError(index, "event", "must be a JSON object"));
					parser.skipChildren();
				}
				index++;
			}
			if (index == 0) {
				throw invalid(List.of(new FieldError(null, field, "must contain at least one event")));
			}
		}
		else {
			throw invalid(List.of(new FieldError(null, field, "must be an event object or an array of events")));
		}
	}

	private static void end(JsonParser parser) {
		if (parser.nextToken() != null) {
			throw ApiException.badRequest("malformed_json", "The body has content after its JSON value");
		}
	}

	private static ApiException malformed() {
		return ApiException.badRequest("malformed_json", "The body is not valid JSON");
	}

	private static void event(JsonParser parser, JsonMapper json, int index, long maxEvent, UUID application,
			Instant receivedAt, Ids ids, List<FieldError> errors, List<QueuedEvent> events) {
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
						draft.data = compact(parser, json, index, errors);
					}
					else if (draft.dataSeen) {
						add(errors, new FieldError(index, "data", "must be a JSON object"));
						parser.skipChildren();
					}
				}
				default -> {
					errors.add(new FieldError(index, field, "is not a known field"));
					parser.skipChildren();
				}
			}
		}
		if (draft.data != null && utf8Length(draft.data) + ENVELOPE_ALLOWANCE > maxEvent) {
			throw ApiException.payloadTooLarge("event_too_large", "Event " + index + " exceeds " + maxEvent
					+ " bytes (its data, without whitespace, plus " + ENVELOPE_ALLOWANCE + " for the envelope)")
				.with("index", index);
		}
		required(draft.sessionSeen, index, "session_id", errors);
		required(draft.categorySeen, index, "category", errors);
		required(draft.nameSeen, index, "name", errors);
		required(draft.timestampSeen, index, "timestamp", errors);
		required(draft.dataSeen, index, "data", errors);
		if (errors.size() == before) {
			// no error for this event: every required field was read
			events.add(new QueuedEvent(application, draft.id == null ? ids.next() : draft.id,
					Objects.requireNonNull(draft.session), Objects.requireNonNull(draft.category),
					Objects.requireNonNull(draft.name), Objects.requireNonNull(draft.timestamp),
					Objects.requireNonNull(draft.data), receivedAt));
		}
	}

	private static void required(boolean seen, int index, String field, List<FieldError> errors) {
		if (!seen) {
			errors.add(new FieldError(index, field, "is required"));
		}
	}

	private static ApiException invalid(List<FieldError> errors) {
		return InvalidEvents.of(errors);
	}

	private static void add(List<FieldError> errors, FieldError error) {
		if (errors.size() < MAX_ERRORS) {
			errors.add(error);
		}
	}

	/** The data object the parser is on, in compact JSON; null (and errors) when it holds what cannot be stored. */
	private static @Nullable String compact(JsonParser parser, JsonMapper json, int index, List<FieldError> errors) {
		int before = errors.size();
		StringWriter out = new StringWriter();
		try (JsonGenerator generator = json.createGenerator(out)) {
			copy(parser, generator, "data", index, errors);
		}
		return errors.size() == before ? out.toString() : null;
	}

	private static void copy(JsonParser parser, JsonGenerator out, String path, int index, List<FieldError> errors) {
		JsonToken token = parser.currentToken();
		switch (token) {
			case START_OBJECT -> {
				out.writeStartObject();
				for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
					String key = parser.currentName();
					String child = path + "." + printable(key);
					String problem = unstorable(key);
					if (problem != null) {
						add(errors, new FieldError(index, child, "key " + problem));
					}
					out.writeName(key);
					parser.nextToken();
					copy(parser, out, child, index, errors);
				}
				out.writeEndObject();
			}
			case START_ARRAY -> {
				out.writeStartArray();
				int i = 0;
				for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
					copy(parser, out, path + "[" + i++ + "]", index, errors);
				}
				out.writeEndArray();
			}
			case VALUE_STRING -> {
				String text = parser.getString();
				String problem = unstorable(text);
				if (problem != null) {
					add(errors, new FieldError(index, path, problem));
				}
				out.writeString(text);
			}
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
				String number = parser.getString();
				String problem = token == JsonToken.VALUE_NUMBER_FLOAT ? outOfNumericRange(number) : null;
				if (problem != null) {
					add(errors, new FieldError(index, path, problem));
				}
				out.writeNumber(number);
			}
			case VALUE_TRUE, VALUE_FALSE -> out.writeBoolean(token == JsonToken.VALUE_TRUE);
			case VALUE_NULL -> out.writeNull();
			default -> throw new IllegalStateException("Unexpected JSON token " + token);
		}
	}

	/**
	 * Why PostgreSQL's {@code numeric} (what {@code jsonb} keeps numbers in) cannot hold the number; null when it can.
	 * Integers need no check: the parser already refuses more digits than {@code numeric} allows.
	 */
	static @Nullable String outOfNumericRange(String number) {
		BigDecimal value;
		try {
			value = new BigDecimal(number);
		}
		catch (NumberFormatException ex) {
			return "is a number whose exponent is out of range";
		}
		if (value.scale() > NUMERIC_MAX_SCALE) {
			return "is a number with more than " + NUMERIC_MAX_SCALE + " digits after the decimal point";
		}
		long integerDigits = (long) value.precision() - value.scale();
		if (integerDigits > NUMERIC_MAX_INTEGER_DIGITS) {
			return "is a number with more than " + NUMERIC_MAX_INTEGER_DIGITS + " digits before the decimal point";
		}
		return null;
	}

	/** Why PostgreSQL cannot store the text (in {@code text} or {@code jsonb}); null when it can. */
	static @Nullable String unstorable(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == 0) {
				return "must not contain NUL (\\u0000)";
			}
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return "must not contain an unpaired surrogate (\\u" + Integer.toHexString(c) + ")";
			}
		}
		return null;
	}

	/** A key as it can be shown in an error message: control characters escaped. */
	private static String printable(String key) {
		StringBuilder shown = new StringBuilder(key.length());
		key.chars().forEach(c -> {
			if (c < 0x20 || Character.isSurrogate((char) c)) {
				shown.append(String.format("\\u%04x", c));
			}
			else {
				shown.append((char) c);
			}
		});
		return shown.toString();
	}

	private static long utf8Length(String text) {
		long bytes = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes += 1;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c)) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

	private static @Nullable UUID uuid(JsonParser parser, JsonToken value, int index, String field,
			List<FieldError> errors) {
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

	private static @Nullable String text(JsonParser parser, JsonToken value, int index, String field,
			List<FieldError> errors) {
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
		String problem = unstorable(text);
		if (problem != null) {
			errors.add(new FieldError(index, field, problem));
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
		Instant fast = parseUtc(text);
		if (fast != null) {
			return fast;
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

	/**
	 * The shape nearly every client sends, {@code YYYY-MM-DD[T ]HH:MM:SS[.f…]} with an optional {@code Z}, read digit
	 * by digit: the formatter's {@code parseBest} cost about 7 % of the intake's CPU (docs/performance.md). Null for
	 * any other shape, which the formatter then reads, so what is accepted does not change.
	 */
	private static @Nullable Instant parseUtc(String text) {
		int end = text.charAt(text.length() - 1) == 'Z' ? text.length() - 1 : text.length();
		char separator = text.charAt(10);
		if (text.charAt(4) != '-' || text.charAt(7) != '-' || (separator != 'T' && separator != ' ')
				|| text.charAt(13) != ':' || text.charAt(16) != ':') {
			return null;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 7);
		int day = digits(text, 8, 10);
		int hour = digits(text, 11, 13);
		int minute = digits(text, 14, 16);
		int second = digits(text, 17, 19);
		int nanos = 0;
		if (end > 19) {
			int fraction = end - 20;
			if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
				return null;
			}
			nanos = digits(text, 20, end);
			for (int i = fraction; i < 9; i++) {
				nanos *= 10;
			}
		}
		if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || nanos < 0) {
			return null;
		}
		if (year < 1970) {
			return null;
		}
		try {
			return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeException ex) {
			return null;
		}
	}

	/** The decimal number in {@code text[from, to)}, or -1 if a character is not an ASCII digit. */
	private static int digits(String text, int from, int to) {
		int value = 0;
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}
}
