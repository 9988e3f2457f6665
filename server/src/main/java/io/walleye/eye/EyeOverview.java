package io.walleye.eye;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.walleye.eye.intake.BacklogMonitor;
import io.walleye.eye.persistence.EventStore;
import io.walleye.platform.OverviewContributor;

/**
 * The Eye on the operators' overview: events valid vs failed per minute (by event time, from the indexed stores),
 * and the ingestion backlog and its age, sampled every few seconds and kept per minute in memory.
 */
@Component
class EyeOverview implements OverviewContributor {

	private static final int KEEP_MINUTES = 180;

	private final EventStore store;

	private final BacklogMonitor backlog;

	/** Per minute: the largest backlog seen and the oldest waiting age in seconds. */
	private final ConcurrentSkipListMap<Instant, long[]> samples = new ConcurrentSkipListMap<>();

	EyeOverview(EventStore store, BacklogMonitor backlog) {
		this.store = store;
		this.backlog = backlog;
	}

	@Scheduled(fixedDelay = 5_000)
	void sample() {
		Backlog now = backlog.current();
		Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
		samples.merge(minute, new long[] { now.size(), now.age().toSeconds() },
				(a, b) -> new long[] { Math.max(a[0], b[0]), Math.max(a[1], b[1]) });
		samples.headMap(minute.minus(Duration.ofMinutes(KEEP_MINUTES))).clear();
	}

	@Override
	public Section overview(Window window) {
		List<StatsBucket> buckets = store.stats(window.from(), window.now().plusSeconds(1), "minute", null, null);
		Map<Instant, Long> valid = new HashMap<>();
		Map<Instant, Long> failed = new HashMap<>();
		long validTotal = 0;
		long failedTotal = 0;
		for (StatsBucket bucket : buckets) {
			valid.merge(bucket.start(), bucket.valid(), Long::sum);
			failed.merge(bucket.start(), bucket.failed(), Long::sum);
			validTotal += bucket.valid();
			failedTotal += bucket.failed();
		}
		Map<Instant, Long> size = new HashMap<>();
		Map<Instant, Long> age = new HashMap<>();
		samples.tailMap(window.from()).forEach((minute, sample) -> {
			size.put(minute, sample[0]);
			age.put(minute, sample[1]);
		});
		Backlog current = backlog.current();
		List<Chart> charts = new ArrayList<>();
		charts.add(new Chart("eye-events", "Events per minute, valid vs failed", "events", Chart.Kind.STACKED_BAR,
				List.of(Series.perMinute("Valid", window, valid), Series.perMinute("Failed", window, failed))));
		charts.add(new Chart("eye-backlog", "Ingestion backlog", "events", Chart.Kind.LINE,
				List.of(Series.perMinute("Waiting", window, size))));
		charts.add(new Chart("eye-backlog-age", "Age of the oldest waiting event", "seconds", Chart.Kind.LINE,
				List.of(Series.perMinute("Age", window, age))));
		List<Total> totals = List.of(new Total("Valid events", String.format("%,d", validTotal), "in the window"),
				new Total("Failed events", String.format("%,d", failedTotal), "in the window"),
				new Total("Backlog", String.format("%,d", current.size()),
						"bound " + String.format("%,d", backlog.maxBacklog())),
				new Total("Oldest waiting", new BigDecimal(current.age().toMillis()).movePointLeft(3) + " s", null));
		return new Section("eye", "The Eye", charts, totals);
	}

	@Override
	public int order() {
		return 30;
	}
}
