package io.walleye.eye;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.walleye.eye.intake.BacklogMonitor;
import io.walleye.eye.persistence.Applications;
import io.walleye.eye.persistence.EventData;
import io.walleye.eye.persistence.EventStore;
import io.walleye.eye.persistence.EventTypes;
import io.walleye.eye.worker.EventValidator;
import io.walleye.eye.worker.SchemaCheck;
import io.walleye.identity.ApiKeyView;
import io.walleye.identity.Identity;
import io.walleye.identity.IssuedKey;
import io.walleye.identity.PrincipalType;
import io.walleye.platform.ApiException;
import io.walleye.platform.Cursor;
import io.walleye.platform.Ids;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;

/**
 * The Eye's facade for the API and the console: applications and their keys, event types, and every query over
 * stored and failed events. {@code application} parameters scope a query to one application's events (an
 * application's own key); null means all (an operator).
 */
@Service
public class Eye {

	private static final int MAX_STATS_BUCKETS = 10_000;

	private final Applications applications;

	private final EventTypes types;

	private final EventStore store;

	private final EventValidator validator;

	private final BacklogMonitor backlog;

	private final Identity identity;

	private final Clock clock;

	private final Ids ids;

	private final EventData json;

	Eye(Applications applications, EventTypes types, EventStore store, EventValidator validator,
			BacklogMonitor backlog, Identity identity, Clock clock, Ids ids, EventData json) {
		this.applications = applications;
		this.types = types;
		this.store = store;
		this.validator = validator;
		this.backlog = backlog;
		this.identity = identity;
		this.clock = clock;
		this.ids = ids;
		this.json = json;
	}

	// ----- applications

	@Transactional
	public CreatedApplication createApplication(String name) {
		UUID id = ids.next();
		Instant now = clock.instant();
		if (!applications.insert(id, name, now)) {
			throw ApiException.conflict("application_name_taken", "An application named '" + name + "' exists");
		}
		IssuedKey key = identity.issueApiKey(PrincipalType.APPLICATION, id);
		return new CreatedApplication(id, name, now, key);
	}

	public Page<Application> applications(PageRequest page) {
		Cursor after = page.decodeCursor(2);
		List<Applications.Row> rows = applications.page(after, page.fetchSize());
		return Page.of(rows, page.limit(), row -> Cursor.of(row.createdAt(), row.id())).map(this::withKeys);
	}

	public Optional<Application> application(UUID id) {
		return applications.find(id).map(this::withKeys);
	}

	/** By id, or else by exact name (what an operator types in a filter). */
	public Optional<Application> findApplication(String idOrName) {
		String text = idOrName.strip();
		try {
			Optional<Application> byId = application(UUID.fromString(text));
			if (byId.isPresent()) {
				return byId;
			}
		}
		catch (IllegalArgumentException ex) {
			// not an id: try the name
		}
		return applications.findByName(text).map(this::withKeys);
	}

	@Transactional
	public IssuedKey issueKey(UUID applicationId) {
		requireApplication(applicationId);
		return identity.issueApiKey(PrincipalType.APPLICATION, applicationId);
	}

	/** False when the application has no live key with that id. */
	@Transactional
	public boolean revokeKey(UUID applicationId, UUID keyId) {
		requireApplication(applicationId);
		return identity.revokeApiKey(PrincipalType.APPLICATION, applicationId, keyId);
	}

	private void requireApplication(UUID applicationId) {
		if (applications.find(applicationId).isEmpty()) {
			throw ApiException.notFound("application_not_found", "No application has id " + applicationId);
		}
	}

	private Application withKeys(Applications.Row row) {
		List<ApiKeyView> keys = identity.apiKeys(PrincipalType.APPLICATION, row.id());
		return new Application(row.id(), row.name(), row.createdAt(), keys);
	}

	// ----- event types

	public List<EventType> eventTypes() {
		return types.all().stream().map(this::eventType).toList();
	}

	public Page<EventType> eventTypes(PageRequest page) {
		Cursor after = page.decodeCursor(2);
		return Page.of(types.page(after, page.fetchSize()), page.limit(), row -> Cursor.of(row.category(), row.name()))
			.map(this::eventType);
	}

	public Optional<EventType> eventType(String category, String name) {
		return types.find(category, name).map(this::eventType);
	}

	@Transactional
	public EventTypeChange putEventType(String category, String name, JsonNode schema) {
		List<String> problems = SchemaCheck.problemsOf(schema);
		if (!problems.isEmpty()) {
			return new EventTypeChange.Refused(problems);
		}
		boolean created = types.upsert(category, name, json.write(schema), clock.instant());
		validator.reload();
		return new EventTypeChange.Saved(eventType(category, name).orElseThrow(), created);
	}

	@Transactional
	public boolean deleteEventType(String category, String name) {
		boolean deleted = types.delete(category, name);
		validator.reload();
		return deleted;
	}

	private EventType eventType(EventTypes.Row row) {
		return new EventType(row.category(), row.name(), json.read(row.schema()), row.createdAt(),
				row.updatedAt());
	}

	// ----- events

	public Page<Event> events(EventQuery query, PageRequest page) {
		Cursor after = page.decodeCursor(2);
		return Page.of(store.events(query, after, page.fetchSize()), page.limit(),
				event -> Cursor.of(event.timestamp(), event.id()));
	}

	public Optional<Event> event(UUID id, @Nullable UUID application) {
		return store.event(id, application);
	}

	public Optional<SessionSummary> session(UUID sessionId, @Nullable UUID application) {
		return store.session(sessionId, application);
	}

	/** A session's events in order of occurrence. */
	public Page<Event> sessionEvents(UUID sessionId, @Nullable UUID application, PageRequest page) {
		return events(new EventQuery(application, sessionId, null, null, null, null, true), page);
	}

	public Page<FailedEvent> failed(FailedQuery query, PageRequest page) {
		Cursor after = page.decodeCursor(2);
		return Page.of(store.failed(query, after, page.fetchSize()), page.limit(),
				failure -> Cursor.of(failure.failedAt(), failure.id()));
	}

	public Optional<FailedEvent> failedEvent(UUID id, @Nullable UUID application) {
		return store.findFailed(id, application);
	}

	/** Validates a failed event again (after a schema fix): stored when it passes now, else its failure updated. */
	@Transactional
	public RetryOutcome retry(UUID id, @Nullable UUID application) {
		FailedEvent failure = store.lockFailed(id, application)
			.orElseThrow(() -> ApiException.notFound("failed_event_not_found", "No failed event has id " + id));
		if (failure.reason() == FailureReason.UNREADABLE) {
			// Nothing was read that could be validated again; the record's text is kept for the operators to see.
			return new RetryOutcome.StillFailed(failure);
		}
		var event = store.requeued(failure);
		validator.reload();
		Instant now = clock.instant();
		return switch (validator.check(event)) {
			case EventValidator.Verdict.Valid valid -> {
				store.deleteFailed(failure.applicationId(), failure.id());
				store.insertEvents(List.of(event), now);
				yield new RetryOutcome.Stored(store.event(failure.id(), failure.applicationId()).orElseThrow());
			}
			case EventValidator.Verdict.Invalid invalid -> {
				store.insertFailures(List.of(new EventStore.Failure(event, invalid.reason(), invalid.messages())), now);
				yield new RetryOutcome.StillFailed(store.findFailed(failure.id(), failure.applicationId()).orElseThrow());
			}
		};
	}

	/** Valid and failed counts per bucket of {@code interval} (minute, hour or day) and group. */
	public List<StatsBucket> stats(Instant from, Instant to, String interval, @Nullable String groupBy,
			@Nullable UUID application) {
		Duration unit = switch (interval) {
			case "minute" -> Duration.ofMinutes(1);
			case "hour" -> Duration.ofHours(1);
			case "day" -> Duration.ofDays(1);
			default -> throw invalid("interval", "must be minute, hour or day");
		};
		if (groupBy != null && !List.of("category", "name", "application", "reason").contains(groupBy)) {
			throw invalid("group_by", "must be category, name, application or reason");
		}
		if (!from.isBefore(to)) {
			throw invalid("from", "must be before to");
		}
		if (Duration.between(from, to).dividedBy(unit) > MAX_STATS_BUCKETS) {
			throw invalid("interval", "gives more than " + MAX_STATS_BUCKETS + " buckets; use a longer interval");
		}
		return store.stats(from, to, interval, groupBy, application);
	}

	public Backlog backlog() {
		return backlog.current();
	}

	public static ApiException invalid(String field, String message) {
		return new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, "validation_failed",
				"Validation failed", field + " " + message)
			.with("errors", List.of(io.walleye.platform.FieldError.of(field, message)));
	}
}
