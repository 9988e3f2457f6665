package io.walleye.etl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TransformTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static Transform.Outcome of(String json) {
		return Transform.of(JSON.readTree(json));
	}

	static final String GOOD = """
			{"id":42,"name":" hello ","full_name":"octo/hello","owner":{"login":"octo","type":"User"},
			 "description":"  ","homepage":"","language":"Java","topics":["ETL","etl"," "],
			 "license":{"spdx_id":"MIT"},"stargazers_count":5,"forks_count":1,"open_issues_count":0,
			 "watchers_count":5,"default_branch":"main","fork":false,"archived":true,"size":12,
			 "created_at":"2020-01-01T00:00:00Z","updated_at":"2021-01-01T00:00:00Z","pushed_at":null}
			""";

	@Test
	void aGoodRecordBecomesATypedRowWithStringsTrimmedAndBlanksNull() {
		RepositoryRow row = ((Transform.Row) of(GOOD)).row();
		assertThat(row.githubId()).isEqualTo(42);
		assertThat(row.name()).isEqualTo("hello");
		assertThat(row.description()).isNull();
		assertThat(row.homepage()).isNull();
		assertThat(row.topics()).containsExactly("etl");
		assertThat(row.licenseSpdx()).isEqualTo("MIT");
		assertThat(row.archived()).isTrue();
		assertThat(row.pushedAt()).isNull();
		assertThat(row.updatedAt()).isEqualTo(Instant.parse("2021-01-01T00:00:00Z"));
	}

	@Test
	void recordsThatCannotBeReadAreRejectedWithTheReason() {
		assertThat(of(GOOD.replace("\"id\":42,", ""))).isEqualTo(new Transform.Reject("id is missing"));
		assertThat(of(GOOD.replace("\"id\":42", "\"id\":\"42\""))).isEqualTo(new Transform.Reject("id is not an integer"));
		assertThat(of(GOOD.replace("\"stargazers_count\":5", "\"stargazers_count\":-1")))
			.isEqualTo(new Transform.Reject("stargazers_count is not a non-negative integer"));
		assertThat(of(GOOD.replace("2020-01-01T00:00:00Z", "yesterday")))
			.isEqualTo(new Transform.Reject("created_at is not an ISO-8601 timestamp"));
		assertThat(of("[1,2]")).isEqualTo(new Transform.Reject("record is not a JSON object"));
	}

	@Test
	void aLargeSearchIsCutInHalvesOfItsCreatedRangeUntilASingleDay() {
		String[] halves = Extractor.split("language:go created:2020-01-01..2020-01-10").orElseThrow();
		assertThat(halves).containsExactly("language:go created:2020-01-01..2020-01-05",
				"language:go created:2020-01-06..2020-01-10");
		assertThat(Extractor.split("org:x").orElseThrow()[0]).startsWith("org:x created:2007-10-01..");
		assertThat(Extractor.split("org:x created:2020-01-01..2020-01-01")).isEmpty();
		assertThat(Extractor.split("org:x created:>2020-01-01")).isEmpty();
	}

	@Test
	void secondaryBackOffStartsAtTheMinimumDoublesAndStopsAtFifteenMinutes() {
		assertThat(Extractor.secondaryBackoff(Duration.ofSeconds(60), 1)).isEqualTo(Duration.ofSeconds(60));
		assertThat(Extractor.secondaryBackoff(Duration.ofSeconds(60), 2)).isEqualTo(Duration.ofSeconds(120));
		assertThat(Extractor.secondaryBackoff(Duration.ofSeconds(60), 9)).isEqualTo(Duration.ofMinutes(15));
	}

	@Test
	void extractReadsAPagesShapeWithoutBuildingATree() {
		assertThat(Extractor.shape("[{\"id\":1,\"topics\":[\"a\"]},{\"id\":2}]")).containsExactly(-1, 2);
		assertThat(Extractor.shape("{\"total_count\":2500,\"incomplete_results\":false,\"items\":[{},{},{}]}"))
			.containsExactly(2500, 3);
		assertThat(Extractor.shape("[]")).containsExactly(-1, 0);
		assertThat(Extractor.shape("<html>oops")).containsExactly(-1, 1);
	}

	@Test
	void theNextLinkIsReadFromGitHubsLinkHeader() {
		assertThat(GitHubClient.next("<https://api.github.com/orgs/x/repos?page=2>; rel=\"next\", "
				+ "<https://api.github.com/orgs/x/repos?page=5>; rel=\"last\""))
			.isEqualTo("https://api.github.com/orgs/x/repos?page=2");
		assertThat(GitHubClient.next("<https://api.github.com/orgs/x/repos?page=1>; rel=\"prev\"")).isNull();
		assertThat(GitHubClient.lastPage("<https://api.github.com/orgs/x/repos?per_page=100&page=2>; rel=\"next\", "
				+ "<https://api.github.com/orgs/x/repos?per_page=100&page=7>; rel=\"last\"")).isEqualTo(7);
	}
}
