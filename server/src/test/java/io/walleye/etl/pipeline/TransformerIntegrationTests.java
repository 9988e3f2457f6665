package io.walleye.etl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.etl.EtlSource;
import io.walleye.etl.persistence.Runs;
import io.walleye.support.WalleyeIntegrationTest;

/** Transform stages rows through PostgreSQL array literals: text that looks like their syntax arrives unchanged. */
@WalleyeIntegrationTest
class TransformerIntegrationTests {

	@Autowired
	Transformer transformer;

	@Autowired
	JdbcClient jdbc;

	@Test
	void textWithQuotesBackslashesBracesCommasAndTheWordNullIsStagedAsGitHubSentIt() {
		UUID run = UUID.randomUUID();
		// finished already, so no worker picks it up
		jdbc.sql("""
				insert into etl_runs (id, status, source, created_at, finished_at)
				values (:id, 'succeeded', '{"org":"literal-org"}', now(), now())
				""").param("id", run).update();
		String body = """
				[{"id": 991001, "full_name": "literal-org/a", "name": "a", "owner": {"login": "literal-org", "type": "User"},
				  "description": "He said \\"hi\\" \\\\ back {a,b} ü", "homepage": "NULL", "language": null,
				  "topics": ["c++", "a\\"b", "x,y", "{z}"], "stargazers_count": 3, "forks_count": 1,
				  "created_at": "2020-01-02T03:04:05Z", "updated_at": "2021-01-02T03:04:05Z", "pushed_at": null},
				 {"id": 991002, "full_name": "literal-org/b", "owner": {"login": "literal-org"},
				  "description": "", "topics": [],
				  "created_at": "2020-01-02T03:04:05Z", "updated_at": "2021-01-02T03:04:05Z"}]
				""";

		Transformer.Result result = transformer.transform(
				new Runs.Claimed(run, new EtlSource.Org("literal-org"), null, false),
				List.of(new Runs.PendingPage(0, "extracted", body)));

		assertThat(result.staged()).isEqualTo(2);
		Map<String, Object> a = jdbc.sql("""
				select description, homepage, language, array_to_string(topics, '|') as topics, stargazers_count,
				       pushed_at is null as no_push, owner_type
				  from etl_staged where run_id = :run and github_id = 991001
				""").param("run", run).query().singleRow();
		assertThat(a).containsEntry("description", "He said \"hi\" \\ back {a,b} ü")
			.containsEntry("homepage", "NULL")
			.containsEntry("language", null)
			.containsEntry("topics", "c++|a\"b|x,y|{z}")
			.containsEntry("stargazers_count", 3)
			.containsEntry("no_push", true)
			.containsEntry("owner_type", "User");
		Map<String, Object> b = jdbc.sql("""
				select description, cardinality(topics) as topics, name, owner_type
				  from etl_staged where run_id = :run and github_id = 991002
				""").param("run", run).query().singleRow();
		assertThat(b).containsEntry("description", null)
			.containsEntry("topics", 0)
			.containsEntry("name", "b")
			.containsEntry("owner_type", null);
	}
}
