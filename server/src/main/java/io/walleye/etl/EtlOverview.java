package io.walleye.etl;

import java.sql.Timestamp;
import java.text.NumberFormat;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import io.walleye.etl.persistence.EtlDatabase;
import io.walleye.platform.OverviewContributor;

/**
 * The ETL's part of the console overview: repositories loaded per minute (from the per-run snapshots), runs finished
 * per minute by outcome, and totals — records in github_repositories, runs in progress, runs waiting for GitHub.
 */
@Component
class EtlOverview implements OverviewContributor {

	private final EtlDatabase db;

	EtlOverview(EtlDatabase db) {
		this.db = db;
	}

	@Override
	public int order() {
		return 400;
	}

	@Override
	public Section overview(Window window) {
		Timestamp from = Timestamp.from(window.from());
		long repositories = db.read("etl.overview.count",
				() -> db.jdbc().sql("select count(*) from github_repositories").query(Long.class).single());
		Map<String, Long> byStatus = new HashMap<>();
		db.read("etl.overview.runs", () -> {
			db.jdbc().sql("""
					select status, count(*) from etl_runs
					 where status in ('queued', 'running', 'waiting_rate_limit') or finished_at >= :from
					 group by status
					""").param("from", from).query(rs -> {
				byStatus.put(rs.getString(1), rs.getLong(2));
			});
			return null;
		});
		NumberFormat number = NumberFormat.getIntegerInstance(Locale.ENGLISH);
		String recent = "last " + window.minutes() + " min";
		return new Section("etl", "GitHub ETL", charts(window),
				List.of(new Total("Repositories", number.format(repositories), "rows in github_repositories"),
						new Total("ETL runs in progress",
								number.format(byStatus.getOrDefault("running", 0L) + byStatus.getOrDefault("queued", 0L)),
								byStatus.getOrDefault("queued", 0L) + " queued"),
						new Total("Waiting for GitHub", number.format(byStatus.getOrDefault("waiting_rate_limit", 0L)),
								"runs paused by the rate limit"),
						new Total("ETL runs succeeded", number.format(byStatus.getOrDefault("succeeded", 0L)), recent),
						new Total("ETL runs failed", number.format(byStatus.getOrDefault("failed", 0L)), recent)));
	}

	/** Charts of this section: rows loaded per minute and runs finished per minute by outcome. */
	List<Chart> charts(Window window) {
		Timestamp from = Timestamp.from(window.from());
		Map<Instant, Long> loaded = perMinute("""
				select date_trunc('minute', captured_at) as minute, count(*) from github_repository_snapshots
				 where captured_at >= :from group by 1
				""", from, null);
		Map<Instant, Long> succeeded = perMinute("""
				select date_trunc('minute', finished_at) as minute, count(*) from etl_runs
				 where finished_at >= :from and status = :status group by 1
				""", from, "succeeded");
		Map<Instant, Long> failed = perMinute("""
				select date_trunc('minute', finished_at) as minute, count(*) from etl_runs
				 where finished_at >= :from and status = :status group by 1
				""", from, "failed");
		return List.of(new Chart("etl-loaded", "Repositories loaded per minute", "rows", Chart.Kind.LINE,
				List.of(Series.perMinute("loaded", window, loaded))),
				new Chart("etl-runs", "ETL runs finished per minute", "runs", Chart.Kind.STACKED_BAR,
						List.of(Series.perMinute("succeeded", window, succeeded),
								Series.perMinute("failed", window, failed))));
	}

	private Map<Instant, Long> perMinute(String sql, Timestamp from, @Nullable String status) {
		Map<Instant, Long> counts = new HashMap<>();
		db.read("etl.overview.per-minute", () -> {
			var statement = db.jdbc().sql(sql).param("from", from);
			if (status != null) {
				statement = statement.param("status", status);
			}
			statement.query(rs -> {
				counts.put(rs.getTimestamp(1).toInstant(), rs.getLong(2));
			});
			return null;
		});
		return counts;
	}
}
