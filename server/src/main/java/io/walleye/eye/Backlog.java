package io.walleye.eye;

import java.time.Duration;

/** Accepted events not yet validated, and how long the oldest has waited. */
public record Backlog(long size, Duration age) {
}
