package io.walleye.console.web;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/** The Eye's events, failed events and event types, read through the events module's facade. */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class EventPages {

	/** The events filter as the form sends it; blank fields mean "any". */
	record EventFilter(@Nullable String application, @Nullable String session, @Nullable String category,
			@Nullable String name, @Nullable Instant from, @Nullable Instant to) {

		public boolean isEmpty() {
			return isBlank(application) && isBlank(session) && isBlank(category) && isBlank(name) && from == null
					&& to == null;
		}

		private static boolean isBlank(@Nullable String value) {
			return value == null || value.isBlank();
		}
	}

	@GetMapping("/console/events")
	String events(@RequestParam(required = false) @Nullable String application,
			@RequestParam(required = false) @Nullable String session,
			@RequestParam(required = false) @Nullable String category,
			@RequestParam(required = false) @Nullable String name,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant to,
			Model model) {
		model.addAttribute("filter", new EventFilter(application, session, category, name, from, to));
		model.addAttribute("events", List.of());
		return "console/events";
	}

	@GetMapping("/console/failed-events")
	String failedEvents(@RequestParam(required = false) @Nullable String reason, Model model) {
		model.addAttribute("reason", reason == null ? "" : reason);
		model.addAttribute("failures", List.of());
		return "console/failed-events";
	}

	@GetMapping("/console/event-types")
	String eventTypes(Model model) {
		model.addAttribute("eventTypes", List.of());
		return "console/event-types";
	}
}
