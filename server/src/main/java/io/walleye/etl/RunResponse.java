package io.walleye.etl;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A run as the API answers it, and as the {@code etl.run.*} events carry it. */
public record RunResponse(UUID id, String status, Map<String, String> source, @Nullable Integer maxRepositories,
		RunView.Counts counts, RunView.RateLimit rateLimit, @Nullable Instant waitingUntil, Instant createdAt,
		@Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable String error) {

	public static RunResponse of(RunView run) {
		Map<String, String> source = new LinkedHashMap<>();
		switch (run.source()) {
			case EtlSource.Query q -> {
				source.put("query", q.query());
				if (q.sort() != null) {
					source.put("sort", q.sort());
				}
			}
			case EtlSource.Org o -> source.put("org", o.org());
			case EtlSource.User u -> source.put("user", u.user());
		}
		return new RunResponse(run.id(), run.status().value(), source, run.maxRepositories(), run.counts(),
				run.rateLimit(), run.waitingUntil(), run.createdAt(), run.startedAt(), run.finishedAt(),
				run.error());
	}
}
