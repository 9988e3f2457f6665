package io.walleye.etl;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A run as the API and the console show it. */
public record RunView(UUID id, RunStatus status, EtlSource source, @Nullable Integer maxRepositories,
		@Nullable Integer expected, Counts counts,
		RateLimit rateLimit, @Nullable Instant waitingUntil, Instant createdAt, @Nullable Instant startedAt,
		@Nullable Instant finishedAt, @Nullable String error) {

	public record Counts(int pages, int extracted, int transformed, int loaded, int inserted, int updated,
			int unchanged, int rejected, int notModified) {
	}

	public record RateLimit(@Nullable Integer remaining, @Nullable Instant resetAt) {
	}

	/**
	 * Progress from 0 to 100 for a progress bar: rows done (a 304 page counts as a full page) over the best known
	 * total — what GitHub said the source holds, bounded by max_repositories; 100 once succeeded (a failed or cancelled
	 * run keeps the share it reached).
	 */
	public int percent() {
		if (status == RunStatus.SUCCEEDED) {
			return 100;
		}
		int total = Math.max(counts.extracted(), 1);
		if (expected != null) {
			total = Math.max(total, expected);
		}
		if (maxRepositories != null) {
			total = Math.min(total, maxRepositories);
		}
		int done = counts.loaded() + counts.rejected() + 100 * counts.notModified();
		return (int) Math.min(status.finished() ? 100 : 99, (100L * done) / Math.max(total, 1));
	}
}
