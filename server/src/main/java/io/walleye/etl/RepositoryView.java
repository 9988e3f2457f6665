package io.walleye.etl;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** A loaded repository (the typed columns; the raw JSON stays in the table). */
public record RepositoryView(long githubId, String fullName, String ownerLogin, @Nullable String ownerType, String name,
		@Nullable String description, @Nullable String htmlUrl, @Nullable String homepage, @Nullable String language,
		List<String> topics, @Nullable String licenseSpdx, int stargazersCount, int forksCount, int openIssuesCount,
		int watchersCount, @Nullable String defaultBranch, boolean fork, boolean archived, int sizeKb,
		Instant createdAt, Instant updatedAt, @Nullable Instant pushedAt, Instant loadedAt) {

	/** Stars and forks as one run saw them. */
	public record Snapshot(Instant capturedAt, java.util.UUID runId, int stargazersCount, int forksCount) {
	}

	/** A repository with its history, oldest snapshot first. */
	public record Detail(RepositoryView repository, List<Snapshot> history) {
	}

	/** Filters of the repositories list; {@code sort} is {@code stars} (default) or {@code updated}. */
	public record Filter(@Nullable String language, @Nullable String owner, @Nullable Integer minStars,
			@Nullable String q, String sort) {
	}

	/** Counts and stars per language and per owner, largest first. */
	public record Stats(long repositories, List<Group> byLanguage, List<Group> byOwner) {
	}

	public record Group(@Nullable String key, long repositories, long stars) {
	}
}
