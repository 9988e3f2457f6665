package io.walleye.eye;

import java.util.List;

/** What registering a schema gave: saved (created or replaced), or refused because the body is not a valid schema. */
public sealed interface EventTypeChange {

	record Saved(EventType type, boolean created) implements EventTypeChange {
	}

	record Refused(List<String> problems) implements EventTypeChange {
	}
}
