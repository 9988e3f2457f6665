package io.walleye.console.overview;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.OverviewContributor;
import io.walleye.platform.Role;

/**
 * The console's own overview section: what every build has, whatever modules it contains — HTTP traffic and
 * resource levels of this process, and the database.
 */
@Component
@ConditionalOnRole(Role.CONSOLE)
class ProcessOverview implements OverviewContributor {

	private static final BigDecimal MEBIBYTE = BigDecimal.valueOf(1024L * 1024L);

	private final ProcessSamples samples;

	private final JdbcClient jdbc;

	ProcessOverview(ProcessSamples samples, JdbcClient jdbc) {
		this.samples = samples;
		this.jdbc = jdbc;
	}

	@Override
	public int order() {
		return 0;
	}

	@Override
	public Section overview(Window window) {
		Map<Instant, long[]> requests = samples.requestsPerMinute();
		List<Series> byStatus = new ArrayList<>();
		for (int i = 0; i < ProcessSamples.STATUS_CLASSES.size(); i++) {
			int index = i;
			byStatus.add(Series.perMinute(ProcessSamples.STATUS_CLASSES.get(i), window,
					minuteCounts(requests, counts -> counts[index])));
		}
		List<ProcessSamples.Level> levels = samples.levelsSince(window.from());
		Chart http = new Chart("http-requests", "HTTP requests per minute, by status", "requests",
				Chart.Kind.STACKED_BAR, byStatus);
		Chart heap = new Chart("heap", "Heap used", "MiB", Chart.Kind.LINE,
				List.of(levelSeries("heap used", levels, level -> level.heapUsedBytes(), MEBIBYTE)));
		Chart pool = new Chart("connection-pool", "Database connections of this process", "connections",
				Chart.Kind.LINE, List.of(levelSeries("in use", levels, level -> level.poolActive(), BigDecimal.ONE),
						levelSeries("waiting", levels, level -> level.poolPending(), BigDecimal.ONE)));
		long[] thisMinute = requests.get(window.now().truncatedTo(ChronoUnit.MINUTES));
		long serverErrors = thisMinute == null ? 0 : thisMinute[ProcessSamples.STATUS_CLASSES.indexOf("5xx")];
		Database database = database();
		List<Total> totals = List.of(
				new Total("HTTP requests", String.format(Locale.ROOT, "%,d", samples.requestsTotal()),
						"since this process started, console traffic excluded"),
				new Total("Server errors this minute", Long.toString(serverErrors),
						serverErrors == 0 ? "none" : "look for ERROR lines in the log"),
				new Total("Database size", humanBytes(database.sizeBytes()), database.name()),
				new Total("Database connections", Long.toString(database.connections()), "open to this database, all processes"),
				new Total("Uptime", humanDuration(Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime())),
						"of this process"));
		return new Section("platform", "Platform", List.of(http, heap, pool), totals);
	}

	private static Map<Instant, Long> minuteCounts(Map<Instant, long[]> requests, ToLongFunction<long[]> pick) {
		Map<Instant, Long> counts = new HashMap<>();
		requests.forEach((minute, values) -> counts.put(minute, pick.applyAsLong(values)));
		return counts;
	}

	private static Series levelSeries(String name, List<ProcessSamples.Level> levels,
			ToDoubleFunction<ProcessSamples.Level> reading, BigDecimal unit) {
		List<Point> points = new ArrayList<>();
		for (ProcessSamples.Level level : levels) {
			double value = reading.applyAsDouble(level);
			if (!Double.isNaN(value)) {
				points.add(new Point(level.at(), BigDecimal.valueOf(value).divide(unit, 1, RoundingMode.HALF_UP)));
			}
		}
		return new Series(name, points);
	}

	private Database database() {
		return jdbc.sql("""
				select current_database() as name,
				       pg_database_size(current_database()) as size_bytes,
				       (select count(*) from pg_stat_activity where datname = current_database()) as connections
				""").query((rs, row) -> new Database(rs.getString("name"), rs.getLong("size_bytes"), rs.getLong("connections")))
			.single();
	}

	private record Database(String name, long sizeBytes, long connections) {
	}

	static String humanBytes(long bytes) {
		String[] units = { "B", "KiB", "MiB", "GiB", "TiB" };
		double value = bytes;
		int unit = 0;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
	}

	static String humanDuration(Duration duration) {
		long days = duration.toDays();
		if (days > 0) {
			return days + " d " + duration.toHoursPart() + " h";
		}
		if (duration.toHours() > 0) {
			return duration.toHours() + " h " + duration.toMinutesPart() + " min";
		}
		return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
	}
}
