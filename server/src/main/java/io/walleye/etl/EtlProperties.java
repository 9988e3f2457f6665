package io.walleye.etl;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * ETL settings ({@code walleye.etl.*}).
 *
 * @param githubApiUrl GitHub's REST API base ({@code GITHUB_API_URL}); GitHub Enterprise or a fake in tests
 * @param githubToken optional token ({@code GITHUB_TOKEN}); without it the anonymous limits apply
 * @param rateLimitReserve requests of the primary quota left untouched; the run waits for the reset instead (capped
 * at a tenth of the announced limit, so small anonymous quotas stay usable)
 * @param maxRetries attempts after a 5xx or network error before the run fails
 * @param retryBase first back-off after a 5xx or network error; doubles per attempt, with full jitter, capped at 30 s
 * @param secondaryBackoff first wait after a secondary limit without Retry-After; doubles, capped at 15 min
 * @param requestTimeout timeout of one request to GitHub
 * @param pollInterval how often an idle worker looks for runs to claim
 * @param lease how long a claimed run stays its worker's without a heartbeat; a killed worker's run is taken over
 * after this
 * @param maxConcurrentRuns runs one worker process executes at once
 * @param schedules runs started from cron expressions
 */
@ConfigurationProperties("walleye.etl")
public record EtlProperties(@DefaultValue("https://api.github.com") String githubApiUrl, @Nullable String githubToken,
		@DefaultValue("10") int rateLimitReserve, @DefaultValue("5") int maxRetries,
		@DefaultValue("500ms") Duration retryBase, @DefaultValue("60s") Duration secondaryBackoff,
		@DefaultValue("30s") Duration requestTimeout, @DefaultValue("500ms") Duration pollInterval,
		@DefaultValue("30s") Duration lease, @DefaultValue("2") int maxConcurrentRuns,
		@DefaultValue List<Schedule> schedules) {

	/**
	 * A scheduled run: a Spring cron expression (six fields, e.g. {@code 0 0 3 * * *}) and what to fetch.
	 *
	 * @param name stable name, so that several workers fire each instant once
	 */
	public record Schedule(String name, String cron, @Nullable String query, @Nullable String sort,
			@Nullable String org, @Nullable String user, @Nullable Integer maxRepositories) {

		public EtlSource source() {
			return EtlSource.of(query, sort, org, user);
		}
	}
}
