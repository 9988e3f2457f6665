package io.walleye.etl;

import java.sql.Timestamp;
import java.text.NumberFormat;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
		long repositories = db.read("etl.overview.count",
				() -> db.jdbc().sql("select count(*) from github_repositories").query(Long.class).single());
		Map<String, Long> open = new HashMap<>();
		db.read("etl.overview.open", () -> {
			db.jdbc().sql("""
					select status, count(*) from etl_runs
					 where status in ('queued', 'running', 'waiting_rate_limit') group by status
					""").query(rs -> {
				open.put(rs.getString(1), rs.getLong(2));
			});
			return null;
		});
		NumberFormat number = NumberFormat.getIntegerInstance(Locale.ENGLISH);
		return new Section("etl", "GitHub ETL",
				List.of(new Chart("etl-loaded", "Repositories loaded per minute", "rows", Chart.Kind.LINE,
						List.of(Series.perMinute("loaded", window, loaded))),
						new Chart("etl-runs", "ETL runs finished per minute", "runs", Chart.Kind.STACKED_BAR,
								List.of(Series.perMinute("succeeded", window, succeeded),
										Series.perMinute("failed", window, failed)))),
				List.of(new Total("Repositories", number.format(repositories), "rows in github_repositories"),
						new Total("ETL runs in progress",
								number.format(open.getOrDefault("running", 0L) + open.getOrDefault("queued", 0L)),
								open.getOrDefault("queued", 0L) + " queued"),
						new Total("Waiting for GitHub", number.format(open.getOrDefault("waiting_rate_limit", 0L)),
								"runs paused by the rate limit")));
	}

	private Map<Instant, Long> perMinute(String sql, Timestamp from, String status) {
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
