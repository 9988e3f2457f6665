package io.walleye.etl.pipeline;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** One repository as a typed row, ready for github_repositories; {@code raw} is the record as GitHub sent it. */
record RepositoryRow(long githubId, String fullName, String ownerLogin, @Nullable String ownerType, String name,
		@Nullable String description, @Nullable String htmlUrl, @Nullable String homepage, @Nullable String language,
		List<String> topics, @Nullable String licenseSpdx, int stargazersCount, int forksCount, int openIssuesCount,
		int watchersCount, @Nullable String defaultBranch, boolean fork, boolean archived, int sizeKb,
		Instant createdAt, Instant updatedAt, @Nullable Instant pushedAt, JsonNode raw) {
}
