package io.walleye.eye.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.networknt.schema.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

import io.walleye.eye.EyeProperties;
import io.walleye.eye.FailureReason;
import io.walleye.eye.intake.QueuedEvent;
import io.walleye.eye.persistence.EventData;
import io.walleye.eye.persistence.EventTypes;

/**
 * Decides whether an accepted event is valid: its timestamp not too far in the future, its type known (or unknown
 * types accepted), its data matching the type's schema. Compiled schemas are reloaded every two seconds, so a schema
 * change on another node reaches this worker quickly.
 */
@Component
public class EventValidator {

	private static final Logger log = LoggerFactory.getLogger(EventValidator.class);

	private static final Duration RELOAD = Duration.ofSeconds(2);

	private final EventTypes types;

	private final EventData json;

	private final Clock clock;

	private final EyeProperties properties;

	private volatile Map<String, Schema> schemas = Map.of();

	private volatile Instant loadedAt = Instant.EPOCH;

	private volatile EyeProperties.UnknownTypes unknownTypes;

	EventValidator(EventTypes types, EventData json, Clock clock, EyeProperties properties) {
		this.types = types;
		this.json = json;
		this.clock = clock;
		this.properties = properties;
		this.unknownTypes = properties.unknownTypes();
	}

	/** Changes the unknown-type policy at run time (tests; an operator tightening intake). */
	public void unknownTypes(EyeProperties.UnknownTypes policy) {
		this.unknownTypes = policy;
	}

	/** Valid, or why not. */
	public sealed interface Verdict {

		record Valid() implements Verdict {
		}

		record Invalid(FailureReason reason, List<String> messages) implements Verdict {
		}
	}

	public Verdict check(QueuedEvent event) {
		Instant now = clock.instant();
		return check(event, now, schemas(now));
	}

	/**
	 * The verdicts of a batch, in order: one clock reading and one look at the compiled schemas for the whole batch,
	 * each type's schema found once, and only the data of events whose type has a schema parsed.
	 */
	public List<Verdict> check(List<QueuedEvent> events) {
		Instant now = clock.instant();
		Map<String, Schema> compiled = schemas(now);
		List<Verdict> verdicts = new ArrayList<>(events.size());
		for (QueuedEvent event : events) {
			verdicts.add(check(event, now, compiled));
		}
		return verdicts;
	}

	private Verdict check(QueuedEvent event, Instant now, Map<String, Schema> compiled) {
		if (event.occurredAt().isAfter(now.plus(properties.futureSkew()))) {
			return new Verdict.Invalid(FailureReason.TIMESTAMP_IN_FUTURE,
					List.of("timestamp " + event.occurredAt() + " is more than " + properties.futureSkew()
							+ " after the server's clock (" + now + ")"));
		}
		Schema schema = compiled.get(key(event.category(), event.name()));
		if (schema == null) {
			if (unknownTypes == EyeProperties.UnknownTypes.REJECT) {
				return new Verdict.Invalid(FailureReason.UNKNOWN_TYPE, List.of("no event type is registered for category '"
						+ event.category() + "' and name '" + event.name() + "'"));
			}
			return new Verdict.Valid();
		}
		JsonNode data = json.read(event.data());
		List<String> messages = SchemaCheck.messages(schema.validate(data));
		return messages.isEmpty() ? new Verdict.Valid() : new Verdict.Invalid(FailureReason.SCHEMA_VIOLATION, messages);
	}

	/** Forgets the compiled schemas (after a change on this node). */
	public void reload() {
		loadedAt = Instant.EPOCH;
	}

	private Map<String, Schema> schemas(Instant now) {
		if (Duration.between(loadedAt, now).compareTo(RELOAD) > 0 || now.isBefore(loadedAt)) {
			Map<String, Schema> loaded = new HashMap<>();
			for (EventTypes.Row row : types.all()) {
				try {
					loaded.put(key(row.category(), row.name()), SchemaCheck.compile(json.read(row.schema())));
				}
				catch (RuntimeException ex) {
					log.warn("Event type {} / {} has a schema that does not compile: {}", row.category(), row.name(),
							ex.toString());
				}
			}
			schemas = loaded;
			loadedAt = now;
		}
		return schemas;
	}

	private static String key(String category, String name) {
		return category + '\u001f' + name;
	}
}
