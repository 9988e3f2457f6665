package io.walleye.eye;

import java.time.Instant;

/** Counts of one time bucket and group (a category, name, application or failure reason; "all" when ungrouped). */
public record StatsBucket(Instant start, String group, long valid, long failed) {
}
