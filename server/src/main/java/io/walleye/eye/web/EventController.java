package io.walleye.eye.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.eye.Event;
import io.walleye.eye.EventQuery;
import io.walleye.eye.Eye;
import io.walleye.eye.EyeProperties;
import io.walleye.eye.FailedEvent;
import io.walleye.eye.FailedQuery;
import io.walleye.eye.FailureReason;
import io.walleye.eye.RetryOutcome;
import io.walleye.eye.SessionSummary;
import io.walleye.eye.StatsBucket;
import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Ids;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.Role;

/** Ingestion (application keys) and queries (operators see everything, an application its own events). */
@RestController
@ConditionalOnRole(Role.API)
@Tag(name = "Events", description = "The Eye: send events, query stored and failed events")
class EventController {

	private final Ingestion ingestion;

	private final Eye eye;

	private final JsonMapper json;

	private final Ids ids;

	private final Clock clock;

	private final EyeProperties properties;

	EventController(Ingestion ingestion, Eye eye, JsonMapper json, Ids ids, Clock clock, EyeProperties properties) {
		this.ingestion = ingestion;
		this.eye = eye;
		this.json = json;
		this.ids = ids;
		this.clock = clock;
		this.properties = properties;
	}

	@PostMapping(path = "/api/v1/events", consumes = MediaType.APPLICATION_JSON_VALUE)
	@PreAuthorize("hasRole('APPLICATION')")
	@Operation(summary = "Send one event or an array of up to 500; 202 once they are durable",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					description = "One event object, or a JSON array of 1 to 500 events (body ≤ 1 MiB, event ≤ 32 KiB)",
					content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
							examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = """
									{"id": "7a0b1d0e-3c4f-4b7a-9a55-2f7f0c1d2e3f",
									 "session_id": "e2085be5-9137-4e4e-80b5-f1ffddc25423",
									 "category": "page interaction", "name": "pageview",
									 "timestamp": "2021-01-01 09:15:27.243860",
									 "data": {"host": "www.example.com", "path": "/"}}"""))),
			responses = { @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202",
					description = "Accepted and durable"),
					@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400",
							description = "Malformed JSON or envelope errors: errors[{index, field, message}]"),
					@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "413",
							description = "Body, event or batch too large"),
					@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "429",
							description = "Backlog past its bound; retry after Retry-After seconds"),
					@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "503",
							description = "The event transport (Kafka) did not acknowledge in time: transport_unavailable; "
									+ "send the same events again after Retry-After seconds") })
	ResponseEntity<Ingestion.Accepted> ingest(@AuthenticationPrincipal Principal caller, HttpServletRequest request)
			throws IOException {
		ingestion.requireRoom();
		byte[] body = ingestion.read(request);
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(ingestion.accept(body,
				bytes -> Envelopes.parse(bytes, caller.id(), clock.instant(), json, ids, properties)));
	}

	@GetMapping("/api/v1/events")
	@PreAuthorize("hasAnyRole('OPERATOR', 'APPLICATION')")
	@Operation(summary = "Stored events by session, category, name, application and time, newest first by default")
	Page<Event> events(@AuthenticationPrincipal Principal caller,
			@RequestParam(name = "session_id", required = false) @Nullable UUID sessionId,
			@RequestParam(required = false) @Nullable String category,
			@RequestParam(required = false) @Nullable String name,
			@RequestParam(name = "application_id", required = false) @Nullable UUID applicationId,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant to,
			@RequestParam(required = false, defaultValue = "desc") String order,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		if (!order.equals("asc") && !order.equals("desc")) {
			throw Eye.invalid("order", "must be asc or desc");
		}
		range(from, to);
		UUID application = scope(caller);
		if (application != null && applicationId != null && !applicationId.equals(application)) {
			return new Page<>(List.of(), null);
		}
		EventQuery query = new EventQuery(application != null ? application : applicationId, sessionId, blank(category),
				blank(name), from, to, order.equals("asc"));
		return eye.events(query, PageRequest.of(limit, cursor));
	}

	@GetMapping("/api/v1/events/{id}")
	@PreAuthorize("hasAnyRole('OPERATOR', 'APPLICATION')")
	@Operation(summary = "One stored event")
	Event event(@AuthenticationPrincipal Principal caller, @PathVariable UUID id) {
		return eye.event(id, scope(caller))
			.orElseThrow(() -> ApiException.notFound("event_not_found", "No stored event has id " + id
					+ " (it may still be waiting for the worker, or have failed validation)"));
	}

	@GetMapping("/api/v1/sessions/{session_id}/events")
	@PreAuthorize("hasAnyRole('OPERATOR', 'APPLICATION')")
	@Operation(summary = "A session's events in order of occurrence")
	Page<Event> sessionEvents(@AuthenticationPrincipal Principal caller,
			@PathVariable("session_id") UUID sessionId,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return eye.sessionEvents(sessionId, scope(caller), PageRequest.of(limit, cursor));
	}

	@GetMapping("/api/v1/sessions/{session_id}")
	@PreAuthorize("hasAnyRole('OPERATOR', 'APPLICATION')")
	@Operation(summary = "A session's first and last timestamp, event count and applications")
	SessionSummary session(@AuthenticationPrincipal Principal caller, @PathVariable("session_id") UUID sessionId) {
		return eye.session(sessionId, scope(caller))
			.orElseThrow(() -> ApiException.notFound("session_not_found", "No stored event has session " + sessionId));
	}

	@GetMapping("/api/v1/events/failed")
	@PreAuthorize("hasAnyRole('OPERATOR', 'APPLICATION')")
	@Operation(summary = "Events that failed validation, newest failure first, with reason and validator messages")
	Page<FailedEvent> failed(@AuthenticationPrincipal Principal caller,
			@RequestParam(required = false) @Nullable String reason,
			@RequestParam(required = false) @Nullable String category,
			@RequestParam(required = false) @Nullable String name,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant to,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		range(from, to);
		FailureReason parsed = null;
		String given = blank(reason);
		if (given != null) {
			parsed = FailureReason.parse(given)
				.orElseThrow(() -> Eye.invalid("reason", "must be schema_violation, timestamp_in_future, unknown_type or unreadable"));
		}
		return eye.failed(new FailedQuery(scope(caller), parsed, blank(category), blank(name), from, to),
				PageRequest.of(limit, cursor));
	}

	@GetMapping("/api/v1/events/failed/{id}")
	@PreAuthorize("hasAnyRole('OPERATOR', 'APPLICATION')")
	@Operation(summary = "One failed event")
	FailedEvent failedEvent(@AuthenticationPrincipal Principal caller, @PathVariable UUID id) {
		return eye.failedEvent(id, scope(caller))
			.orElseThrow(() -> ApiException.notFound("failed_event_not_found", "No failed event has id " + id));
	}

	record RetryResponse(String outcome, @Nullable Event event, @Nullable FailedEvent failure) {
	}

	@PostMapping("/api/v1/events/failed/{id}/retry")
	@PreAuthorize("hasAnyRole('OPERATOR', 'APPLICATION')")
	@Operation(summary = "Validate a failed event again (after a schema fix): stored, or still failed")
	RetryResponse retry(@AuthenticationPrincipal Principal caller, @PathVariable UUID id) {
		return switch (eye.retry(id, scope(caller))) {
			case RetryOutcome.Stored stored -> new RetryResponse("stored", stored.event(), null);
			case RetryOutcome.StillFailed still -> new RetryResponse("failed", null, still.failure());
		};
	}

	record Stats(Instant from, Instant to, String interval, @Nullable String groupBy, List<StatsBucket> buckets) {
	}

	@GetMapping("/api/v1/events/stats")
	@PreAuthorize("hasAnyRole('OPERATOR', 'APPLICATION')")
	@Operation(summary = "Valid and failed counts per time bucket (by event timestamp), optionally grouped")
	Stats stats(@AuthenticationPrincipal Principal caller,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant to,
			@RequestParam(required = false, defaultValue = "minute") String interval,
			@RequestParam(name = "group_by", required = false) @Nullable String groupBy) {
		Instant end = to != null ? to : clock.instant();
		Instant start = from != null ? from : end.minus(Duration.ofHours(1));
		return new Stats(start, end, interval, blank(groupBy),
				eye.stats(start, end, interval, blank(groupBy), scope(caller)));
	}

	/** As wallet history: a range that ends before it starts is a mistake to point out, not an empty answer. */
	private static void range(@Nullable Instant from, @Nullable Instant to) {
		if (from != null && to != null && from.isAfter(to)) {
			throw Eye.invalid("from", "must not be after to");
		}
	}

	/** The application an application key may see; null for operators (everything). */
	private static @Nullable UUID scope(Principal caller) {
		return caller.is(PrincipalType.APPLICATION) ? caller.id() : null;
	}

	private static @Nullable String blank(@Nullable String value) {
		return value == null || value.isBlank() ? null : value;
	}
}
