package io.walleye.console.web;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.lang.Contract;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.walleye.eye.Application;
import io.walleye.eye.Event;
import io.walleye.eye.EventQuery;
import io.walleye.eye.EventType;
import io.walleye.eye.EventTypeChange;
import io.walleye.eye.Eye;
import io.walleye.eye.FailedEvent;
import io.walleye.eye.FailedQuery;
import io.walleye.eye.FailureReason;
import io.walleye.eye.RetryOutcome;
import io.walleye.eye.SessionSummary;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.Role;

/** The Eye's events, a session's timeline, failed events and event types, read through the events module's facade. */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class EventPages {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Eye eye;

	EventPages(Eye eye) {
		this.eye = eye;
	}

	/** The events filter as the form sends it; blank fields mean "any". */
	record EventFilter(@Nullable String application, @Nullable String session, @Nullable String category,
			@Nullable String name, @Nullable Instant from, @Nullable Instant to) {

		public boolean isEmpty() {
			return isBlank(application) && isBlank(session) && isBlank(category) && isBlank(name) && from == null
					&& to == null;
		}

		@Contract("null -> true")
		static boolean isBlank(@Nullable String value) {
			return value == null || value.isBlank();
		}
	}

	/** An event as a row: its data pretty-printed. */
	record EventRow(Event event, String data) {

		static EventRow of(Event event) {
			return new EventRow(event, event.data().toPrettyString());
		}
	}

	/** A failed event as a row: the raw event pretty-printed. */
	record FailureRow(FailedEvent failure, String raw) {

		static FailureRow of(FailedEvent failure) {
			return new FailureRow(failure, failure.raw().toPrettyString());
		}
	}

	@GetMapping("/console/events")
	String events(@RequestParam(required = false) @Nullable String application,
			@RequestParam(required = false) @Nullable String session,
			@RequestParam(required = false) @Nullable String category,
			@RequestParam(required = false) @Nullable String name,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant to,
			@RequestParam(required = false) @Nullable String cursor, Model model) {
		EventFilter filter = new EventFilter(application, session, category, name, from, to);
		model.addAttribute("filter", filter);
		model.addAttribute("events", List.of());
		model.addAttribute("nextCursor", null);
		model.addAttribute("problem", null);
		UUID applicationId = null;
		if (!EventFilter.isBlank(application)) {
			Optional<Application> found = eye.findApplication(application);
			if (found.isEmpty()) {
				model.addAttribute("problem", "No application is named or has the id '" + application.strip()
						+ "'. Check the name on the Applications page.");
				return "console/events";
			}
			applicationId = found.get().id();
		}
		UUID sessionId = null;
		if (!EventFilter.isBlank(session)) {
			try {
				sessionId = UUID.fromString(session.strip());
			}
			catch (IllegalArgumentException ex) {
				model.addAttribute("problem", "A session id is a UUID such as 0b6f3c1e-…; '" + session.strip()
						+ "' is not one.");
				return "console/events";
			}
		}
		EventQuery query = new EventQuery(applicationId, sessionId, blank(category), blank(name), from, to, false);
		Page<Event> page = eye.events(query, PageRequest.of(50, cursor));
		model.addAttribute("events", page.items().stream().map(EventRow::of).toList());
		model.addAttribute("nextCursor", page.nextCursor());
		return "console/events";
	}

	@GetMapping("/console/sessions/{sessionId}")
	String session(@PathVariable UUID sessionId, Model model) {
		Optional<SessionSummary> summary = eye.session(sessionId, null);
		model.addAttribute("sessionId", sessionId);
		model.addAttribute("summary", summary.orElse(null));
		List<EventRow> events = summary.isEmpty() ? List.of()
				: eye.sessionEvents(sessionId, null, PageRequest.of(500, null)).items().stream().map(EventRow::of)
					.toList();
		model.addAttribute("events", events);
		return "console/eye-session";
	}

	@GetMapping("/console/failed-events")
	String failedEvents(@RequestParam(required = false) @Nullable String reason,
			@RequestParam(required = false) @Nullable String cursor, Model model) {
		FailureReason parsed = reason == null || reason.isBlank() ? null : FailureReason.parse(reason).orElse(null);
		model.addAttribute("reason", parsed == null ? "" : parsed.code());
		Page<FailedEvent> page = eye.failed(new FailedQuery(null, parsed, null, null, null, null),
				PageRequest.of(50, cursor));
		model.addAttribute("failures", page.items().stream().map(FailureRow::of).toList());
		model.addAttribute("nextCursor", page.nextCursor());
		return "console/failed-events";
	}

	@PostMapping("/console/failed-events/{id}/retry")
	String retry(@PathVariable UUID id, @RequestParam(required = false) @Nullable String reason,
			RedirectAttributes redirect) {
		String message = switch (eye.retry(id, null)) {
			case RetryOutcome.Stored stored -> "Event " + id + " passed validation this time and is now stored.";
			case RetryOutcome.StillFailed still -> "Event " + id + " still fails (" + still.failure().reason().code()
					+ "): " + String.join("; ", still.failure().messages());
		};
		redirect.addFlashAttribute("message", message);
		if (reason != null && !reason.isBlank()) {
			redirect.addAttribute("reason", reason);
		}
		return "redirect:/console/failed-events";
	}

	/** An event type as shown: its schema pretty-printed. */
	record TypeRow(EventType type, String schema) {

		static TypeRow of(EventType type) {
			return new TypeRow(type, type.schema().toPrettyString());
		}
	}

	@GetMapping("/console/event-types")
	String eventTypes(Model model) {
		model.addAttribute("eventTypes", eye.eventTypes().stream().map(TypeRow::of).toList());
		return "console/event-types";
	}

	@GetMapping("/console/event-types/edit")
	String editEventType(@RequestParam(required = false, defaultValue = "") String category,
			@RequestParam(required = false, defaultValue = "") String name, Model model) {
		Optional<EventType> type = category.isBlank() ? Optional.empty() : eye.eventType(category, name);
		model.addAttribute("category", category);
		model.addAttribute("name", name);
		model.addAttribute("exists", type.isPresent());
		model.addAttribute("schema", type.map(t -> t.schema().toPrettyString()).orElse("""
				{
				  "$schema": "https://json-schema.org/draft/2020-12/schema",
				  "type": "object",
				  "properties": {},
				  "required": []
				}"""));
		model.addAttribute("problems", List.of());
		return "console/eye-event-type";
	}

	@PostMapping("/console/event-types/edit")
	String saveEventType(@RequestParam String category, @RequestParam String name, @RequestParam String schema,
			Model model, RedirectAttributes redirect) {
		model.addAttribute("category", category);
		model.addAttribute("name", name);
		model.addAttribute("schema", schema);
		model.addAttribute("exists", eye.eventType(category, name).isPresent());
		if (category.isBlank() || name.isBlank() || category.length() > 255 || name.length() > 255) {
			model.addAttribute("problems", List.of("Category and name must each be 1 to 255 characters."));
			return "console/eye-event-type";
		}
		JsonNode parsed;
		try {
			parsed = JSON.readTree(schema);
		}
		catch (JacksonException ex) {
			model.addAttribute("problems", List.of("This is not valid JSON: " + ex.getOriginalMessage()));
			return "console/eye-event-type";
		}
		return switch (eye.putEventType(category, name, parsed)) {
			case EventTypeChange.Saved saved -> {
				redirect.addFlashAttribute("message", "Saved the schema of " + category + " / " + name + ".");
				yield "redirect:/console/event-types";
			}
			case EventTypeChange.Refused refused -> {
				model.addAttribute("problems", refused.problems());
				yield "console/eye-event-type";
			}
		};
	}

	private static @Nullable String blank(@Nullable String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}
}
