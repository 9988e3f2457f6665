package io.walleye.etl;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A run as the API and the console show it. */
public record RunView(UUID id, RunStatus status, EtlSource source, @Nullable Integer maxRepositories, Counts counts,
		RateLimit rateLimit, @Nullable Instant waitingUntil, Instant createdAt, @Nullable Instant startedAt,
		@Nullable Instant finishedAt, @Nullable String error) {

	public record Counts(int pages, int extracted, int transformed, int loaded, int inserted, int updated,
			int unchanged, int rejected, int notModified) {
	}

	public record RateLimit(@Nullable Integer remaining, @Nullable Instant resetAt) {
	}

	/**
	 * Progress from 0 to 100 for a progress bar: loaded over the best known total (max_repositories, else what was
	 * extracted so far); 100 once finished.
	 */
	public int percent() {
		if (status.finished()) {
			return 100;
		}
		int total = maxRepositories != null ? maxRepositories : Math.max(counts.extracted(), 1);
		int done = counts.loaded() + counts.rejected();
		return (int) Math.min(99, (100L * done) / Math.max(total, 1));
	}
}
