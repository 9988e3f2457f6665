package io.walleye.console.overview;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/**
 * Samples this process's Micrometer meters every few seconds, because they only hold running totals and the
 * overview wants rates: HTTP requests per minute by status class (console, static and actuator traffic left out) and
 * recent heap and connection-pool levels. Keeps one hour; nothing is stored.
 */
@Component
@ConditionalOnRole(Role.CONSOLE)
class ProcessSamples {

	static final List<String> STATUS_CLASSES = List.of("2xx", "3xx", "4xx", "5xx");

	private static final Duration KEEP = Duration.ofHours(1);

	private final MeterRegistry meters;

	private final Clock clock;

	private final NavigableMap<Instant, long[]> requestsByMinute = new TreeMap<>();

	private final Deque<Level> levels = new ArrayDeque<>();

	private long @Nullable [] lastTotals;

	ProcessSamples(MeterRegistry meters, Clock clock) {
		this.meters = meters;
		this.clock = clock;
	}

	/** A point-in-time reading of gauges; NaN where a meter is absent. */
	record Level(Instant at, double heapUsedBytes, double poolActive, double poolPending) {
	}

	@Scheduled(initialDelayString = "${walleye.console.sample-interval:5s}",
			fixedDelayString = "${walleye.console.sample-interval:5s}")
	synchronized void sample() {
		Instant now = clock.instant();
		long[] totals = requestTotals();
		if (lastTotals != null) {
			long[] bucket = requestsByMinute.computeIfAbsent(now.truncatedTo(ChronoUnit.MINUTES),
					minute -> new long[STATUS_CLASSES.size()]);
			for (int i = 0; i < totals.length; i++) {
				bucket[i] += Math.max(0, totals[i] - lastTotals[i]);
			}
		}
		lastTotals = totals;
		levels.addLast(new Level(now, sum("jvm.memory.used", "area", "heap"), sum("hikaricp.connections.active", null, null),
				sum("hikaricp.connections.pending", null, null)));
		Instant oldest = now.minus(KEEP);
		requestsByMinute.headMap(oldest, false).clear();
		while (!levels.isEmpty() && levels.peekFirst().at().isBefore(oldest)) {
			levels.removeFirst();
		}
	}

	/** Requests per minute start, one count per {@link #STATUS_CLASSES} entry. */
	synchronized Map<Instant, long[]> requestsPerMinute() {
		Map<Instant, long[]> copy = new HashMap<>();
		requestsByMinute.forEach((minute, counts) -> copy.put(minute, counts.clone()));
		return copy;
	}

	synchronized List<Level> levelsSince(Instant from) {
		return levels.stream().filter(level -> !level.at().isBefore(from)).toList();
	}

	synchronized long requestsTotal() {
		long total = 0;
		for (long count : requestTotals()) {
			total += count;
		}
		return total;
	}

	private long[] requestTotals() {
		long[] totals = new long[STATUS_CLASSES.size()];
		for (Timer timer : meters.find("http.server.requests").timers()) {
			String uri = timer.getId().getTag("uri");
			String status = timer.getId().getTag("status");
			if (uri == null || status == null || isConsoleTraffic(uri)) {
				continue;
			}
			int index = STATUS_CLASSES.indexOf(status.charAt(0) + "xx");
			if (index >= 0) {
				totals[index] += timer.count();
			}
		}
		return totals;
	}

	private static boolean isConsoleTraffic(String uri) {
		return uri.startsWith("/console") || uri.startsWith("/webjars") || uri.startsWith("/actuator");
	}

	private double sum(String name, @Nullable String tag, @Nullable String value) {
		var search = meters.find(name);
		if (tag != null && value != null) {
			search = search.tag(tag, value);
		}
		double sum = Double.NaN;
		for (Gauge gauge : search.gauges()) {
			double reading = gauge.value();
			if (!Double.isNaN(reading)) {
				sum = Double.isNaN(sum) ? reading : sum + reading;
			}
		}
		return sum;
	}
}
