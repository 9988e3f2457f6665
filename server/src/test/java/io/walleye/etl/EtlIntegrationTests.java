package io.walleye.etl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.etl.pipeline.EtlWorker;
import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

/**
 * The ETL through its HTTP API against the fake GitHub: runs end to end, 304 re-runs, updates, rate limits, 5xx,
 * search splitting, cancel and kill-and-resume. Every test uses its own owner on the fake, so tests do not see each
 * other's repositories.
 */
@WalleyeIntegrationTest
class EtlIntegrationTests {

	static final FakeGitHub github = FakeGitHub.shared();

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EtlWorker worker;

	@Test
	void anOrganisationRunLoadsEveryRepositoryAndRejectsMalformedRecordsWithTheirReason() {
		FakeGitHub.Owner org = github.org("acme-load", 250);
		org.corrupt(3, "missing_id");
		org.corrupt(120, "bad_date");
		org.corrupt(249, "bad_number");

		JsonNode run = finish(start(Map.of("org", "acme-load")));

		assertThat(run.get("status").asString()).isEqualTo("succeeded");
		JsonNode counts = run.get("counts");
		assertThat(counts.get("pages").asInt()).isEqualTo(3);
		assertThat(counts.get("extracted").asInt()).isEqualTo(250);
		assertThat(counts.get("loaded").asInt()).isEqualTo(247);
		assertThat(counts.get("inserted").asInt()).isEqualTo(247);
		assertThat(counts.get("rejected").asInt()).isEqualTo(3);
		assertThat(run.get("rate_limit").get("remaining").asInt()).isPositive();
		assertThat(run.get("finished_at").isNull()).isFalse();
		List<String> reasons = jdbc.sql("select reason from etl_rejects where run_id = :run order by reason")
			.param("run", java.util.UUID.fromString(run.get("id").asString()))
			.query(String.class)
			.list();
		assertThat(reasons).containsExactly("created_at is not an ISO-8601 timestamp", "id is missing",
				"stargazers_count is not a non-negative integer");

		JsonNode repo = api.get("/api/v1/repositories/acme-load/repo-7").asAdmin().send().json();
		FakeGitHub.Repo fixture = org.repos().get(7);
		assertThat(repo.get("repository").get("github_id").asLong()).isEqualTo(fixture.id());
		assertThat(repo.get("repository").get("stargazers_count").asInt()).isEqualTo(fixture.stars());
		assertThat(repo.get("repository").get("owner_type").asString()).isEqualTo("Organization");
		assertThat(repo.get("history")).hasSize(1);
		assertThat(jdbc.sql("select raw ->> 'node_id' from github_repositories where github_id = :id")
			.param("id", fixture.id())
			.query(String.class)
			.single()).as("the raw JSON as GitHub sent it").isEqualTo("R_kg" + fixture.id());
		String description = repo.get("repository").get("description").isNull() ? null
				: repo.get("repository").get("description").asString();
		assertThat(description).satisfiesAnyOf(d -> assertThat(d).isNull(),
				d -> assertThat(d).doesNotStartWith(" ").doesNotEndWith(" "));

		TestApi.Response count = api.get("/api/v1/repositories/count").asAdmin().send();
		assertThat(count.json().get("table").asString()).isEqualTo("github_repositories");
		assertThat(count.json().get("count").asLong()).isGreaterThanOrEqualTo(247);
	}

	@Test
	void aRerunOverUnchangedDataCostsOnly304sAndAChangedRepositoryIsUpdatedWithHistory() {
		FakeGitHub.Owner org = github.org("acme-rerun", 230);
		finish(start(Map.of("org", "acme-rerun")));
		int before304 = github.requestsWithStatus(304);

		JsonNode again = finish(start(Map.of("org", "acme-rerun")));
		assertThat(again.get("counts").get("not_modified").asInt()).isEqualTo(3);
		assertThat(again.get("counts").get("extracted").asInt()).isZero();
		assertThat(again.get("counts").get("inserted").asInt()).isZero();
		assertThat(github.requestsWithStatus(304) - before304).isEqualTo(3);

		org.star(5, 1000);
		JsonNode third = finish(start(Map.of("org", "acme-rerun")));
		JsonNode counts = third.get("counts");
		assertThat(counts.get("not_modified").asInt()).isEqualTo(2);
		assertThat(counts.get("updated").asInt()).isEqualTo(1);
		assertThat(counts.get("unchanged").asInt()).isEqualTo(99);

		JsonNode history = api.get("/api/v1/repositories/acme-rerun/repo-5").asAdmin().send().json().get("history");
		assertThat(history).hasSize(2);
		assertThat(history.get(1).get("stargazers_count").asInt() - history.get(0).get("stargazers_count").asInt())
			.isEqualTo(1000);
	}

	@Test
	void anExhaustedPrimaryRateLimitMakesTheRunWaitUntilTheResetAndShowIt() throws Exception {
		github.user("rl-user", 350);
		try {
			github.coreLimit(2, Duration.ofSeconds(5));
			HttpClient http = HttpClient.newHttpClient();
			for (int i = 0; i < 2; i++) { // someone else spends the window first: the run's first answer is a 403
				http.send(HttpRequest.newBuilder(URI.create(github.url() + "/users/rl-user/repos")).build(),
						HttpResponse.BodyHandlers.discarding());
			}
			int before403 = github.requestsWithStatus(403);
			JsonNode started = start(Map.of("user", "rl-user"));
			JsonNode waiting = await(started, run -> run.get("status").asString().equals("waiting_rate_limit"),
					Duration.ofSeconds(10));
			assertThat(waiting.get("waiting_until").isNull()).isFalse();
			JsonNode run = finish(started);
			assertThat(run.get("status").asString()).isEqualTo("succeeded");
			assertThat(run.get("counts").get("loaded").asInt()).isEqualTo(350);
			assertThat(github.requestsWithStatus(403)).isGreaterThan(before403);
		}
		finally {
			github.coreLimit(1_000_000, Duration.ofHours(1));
		}
	}

	@Test
	void secondaryLimitsAndServerErrorBurstsAreWaitedOutAndRetried() {
		github.org("flaky-org", 300);
		github.fail("/orgs/flaky-org/repos", 429, 1, 1);
		github.fail("/orgs/flaky-org/repos", 403, 1, 1);
		github.fail("/orgs/flaky-org/repos", 502, null, 2);
		github.fail("/orgs/flaky-org/repos?per_page=100&page=2", 503, null, 2);

		JsonNode run = finish(start(Map.of("org", "flaky-org")));

		assertThat(run.get("status").asString()).isEqualTo("succeeded");
		assertThat(run.get("counts").get("loaded").asInt()).isEqualTo(300);
	}

	@Test
	void serverErrorsBeyondTheRetryBudgetFailTheRunWithTheReason() {
		github.org("broken-org", 10);
		github.fail("/orgs/broken-org/repos", 500, null, 20);

		JsonNode run = finish(start(Map.of("org", "broken-org")));

		assertThat(run.get("status").asString()).isEqualTo("failed");
		assertThat(run.get("error").asString()).contains("GitHub kept failing").contains("500");
	}

	@Test
	void anUnknownOrganisationFailsTheRunWithGitHubsAnswer() {
		JsonNode run = finish(start(Map.of("org", "no-such-org")));

		assertThat(run.get("status").asString()).isEqualTo("failed");
		assertThat(run.get("error").asString()).contains("404");
	}

	@Test
	void aSearchWithMoreThanAThousandMatchesIsSplitByCreatedDateUntilAllAreFetched() {
		github.org("bigco", 2_300);

		JsonNode run = finish(start(Map.of("query", "org:bigco", "sort", "stars")));

		assertThat(run.get("status").asString()).isEqualTo("succeeded");
		assertThat(run.get("counts").get("loaded").asInt()).isEqualTo(2_300);
		assertThat(jdbc.sql("select count(*) from github_repositories where owner_login = 'bigco'")
			.query(Long.class)
			.single()).isEqualTo(2_300);
		assertThat(github.requests()).anyMatch(request -> request.contains("created%3A"));
	}

	@Test
	void maxRepositoriesBoundsARun() {
		github.org("bounded-org", 400);

		JsonNode run = finish(start(Map.of("org", "bounded-org"), 150));

		assertThat(run.get("counts").get("loaded").asInt()).isEqualTo(150);
		assertThat(run.get("max_repositories").asInt()).isEqualTo(150);
	}

	@Test
	void limitedRunsLeaveNoValidatorForAPageTheyLoadedInPartSoALaterRunLoadsEveryRepository() {
		github.org("limited-org", 250);

		JsonNode first = finish(start(Map.of("org", "limited-org"), 50));
		JsonNode second = finish(start(Map.of("org", "limited-org"), 50));
		JsonNode unlimited = finish(start(Map.of("org", "limited-org")));

		assertThat(first.get("counts").get("loaded").asInt()).isEqualTo(50);
		assertThat(second.get("counts").get("loaded").asInt()).isEqualTo(50);
		assertThat(unlimited.get("status").asString()).isEqualTo("succeeded");
		assertThat(repositoriesOf("limited-org")).isEqualTo(250);
		JsonNode again = finish(start(Map.of("org", "limited-org")));
		assertThat(again.get("counts").get("not_modified").asInt()).isEqualTo(3);
		assertThat(again.get("counts").get("inserted").asInt()).isZero();
	}

	@Test
	void everySourceKindRerunsCleanlyWhenEveryPageAnswers304() {
		github.org("rerun-kinds-org", 230);
		github.user("rerun-kinds-user", 150);
		for (Map<String, String> source : List.of(Map.of("org", "rerun-kinds-org"), Map.of("user", "rerun-kinds-user"),
				Map.of("query", "org:rerun-kinds-org", "sort", "stars"))) {
			JsonNode first = finish(start(source));
			assertThat(first.get("status").asString()).as(source.toString()).isEqualTo("succeeded");
			int pages = first.get("counts").get("pages").asInt();

			JsonNode again = finish(start(source));

			assertThat(again.get("status").asString()).as(again.toString()).isEqualTo("succeeded");
			JsonNode counts = again.get("counts");
			assertThat(counts.get("not_modified").asInt()).as(source.toString()).isEqualTo(pages);
			assertThat(counts.get("extracted").asInt()).isZero();
			assertThat(counts.get("inserted").asInt() + counts.get("updated").asInt()).isZero();
		}
		assertThat(repositoriesOf("rerun-kinds-org")).isEqualTo(230);
		assertThat(repositoriesOf("rerun-kinds-user")).isEqualTo(150);
	}

	@Test
	void aSortGivenToAnOrganisationOrUserSourceIsRefusedNamingTheField() {
		for (String kind : List.of("org", "user")) {
			TestApi.Response response = api.post("/api/v1/etl/runs", Map.of("source", Map.of(kind, "a", "sort", "stars")))
				.asAdmin()
				.send();

			assertThat(response.status()).as(response.toString()).isEqualTo(400);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.json().get("code").asString()).isEqualTo("invalid_source");
			assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("source.sort");
		}
	}

	@Test
	void theOpenApiDocumentDeclaresTheStatusesTheRunEndpointsAnswer() {
		JsonNode paths = api.get("/v3/api-docs").send().json().get("paths");

		JsonNode start = paths.get("/api/v1/etl/runs").get("post").get("responses");
		assertThat(start.has("202")).as(start.toString()).isTrue();
		assertThat(start.has("200")).as(start.toString()).isFalse();
		assertThat(start.get("202").get("headers").has("Location")).isTrue();
		JsonNode cancel = paths.get("/api/v1/etl/runs/{id}/cancel").get("post").get("responses");
		assertThat(cancel.has("200")).isTrue();
		assertThat(cancel.has("409")).as(cancel.toString()).isTrue();
	}

	@Test
	void aCancelledRunStopsAndCannotBeCancelledTwice() {
		github.org("slow-cancel", 1_000);
		github.slowPages("slow-cancel", Duration.ofMillis(300));
		try {
			JsonNode run = start(Map.of("org", "slow-cancel"));
			String id = run.get("id").asString();
			await(run, r -> r.get("counts").get("pages").asInt() >= 1, Duration.ofSeconds(15));

			TestApi.Response cancelled = api.post("/api/v1/etl/runs/" + id + "/cancel").asAdmin().send();
			assertThat(cancelled.status()).isEqualTo(200);
			assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
			TestApi.Response again = api.post("/api/v1/etl/runs/" + id + "/cancel").asAdmin().send();
			assertThat(again.status()).isEqualTo(409);
			assertThat(again.contentType()).startsWith("application/problem+json");
			sleep(1_000);
			JsonNode after = get(id);
			assertThat(after.get("status").asString()).isEqualTo("cancelled");
			assertThat(after.get("counts").get("pages").asInt()).isLessThan(10);
		}
		finally {
			github.slowPages("", Duration.ZERO);
		}
	}

	@Test
	void aRunInterruptedMidWayResumesFromItsCheckpointAndEndsWithTheSameTableAsAnUninterruptedRun() {
		FakeGitHub.Owner org = github.org("resume-org", 900);
		github.slowPages("resume-org", Duration.ofMillis(250));
		JsonNode run;
		try {
			run = start(Map.of("org", "resume-org"));
			await(run, r -> r.get("counts").get("loaded").asInt() >= 200, Duration.ofSeconds(20));
			worker.kill();
		}
		finally {
			github.slowPages("", Duration.ZERO);
		}
		String id = run.get("id").asString();
		JsonNode interrupted = get(id);
		assertThat(interrupted.get("status").asString()).isEqualTo("running");
		assertThat(interrupted.get("counts").get("loaded").asInt()).isBetween(200, 899);
		// The killed worker's lease would run out on its own after walleye.etl.lease; end it now instead of waiting.
		jdbc.sql("update etl_runs set lease_until = now() - interval '1 second' where id = :id::uuid")
			.param("id", id)
			.update();
		worker.start();

		JsonNode resumed = finish(run);

		assertThat(resumed.get("status").asString()).isEqualTo("succeeded");
		assertThat(resumed.get("counts").get("loaded").asInt()).isEqualTo(900);
		assertThat(resumed.get("counts").get("inserted").asInt()).isEqualTo(900);
		Map<Long, Integer> expected = new HashMap<>();
		org.repos().forEach(repo -> expected.put(repo.id(), repo.stars()));
		Map<Long, Integer> loaded = new HashMap<>();
		jdbc.sql("select github_id, stargazers_count from github_repositories where owner_login = 'resume-org'")
			.query(rs -> {
				loaded.put(rs.getLong(1), rs.getInt(2));
			});
		assertThat(loaded).isEqualTo(expected);
		assertThat(jdbc.sql("""
				select count(*) from github_repository_snapshots s join github_repositories r using (github_id)
				 where r.owner_login = 'resume-org'
				""").query(Long.class).single()).isEqualTo(900);
	}

	/**
	 * A worker that stops hands its run over at once (graceful shutdown), and only once its stages have ended: from
	 * the moment the lease is free nothing more is written for the run by the stopped worker, so another worker can
	 * continue from the checkpoints without a stage of the first one writing beside it.
	 */
	@Test
	void aStoppedWorkerReleasesItsRunOnlyOnceItsStagesHaveEndedAndAnotherWorkerFinishesIt() throws Exception {
		github.org("handover-org", 600);
		github.slowPages("handover-org", Duration.ofMillis(100));
		String id;
		try {
			id = start(Map.of("org", "handover-org")).get("id").asString();
			await(get(id), r -> r.get("counts").get("loaded").asInt() >= 100, Duration.ofSeconds(30));
			// Watches the run while the worker stops: what the tables held when the lease was first seen free.
			java.util.concurrent.atomic.AtomicReference<String> atRelease = new java.util.concurrent.atomic.AtomicReference<>();
			Thread watcher = Thread.ofVirtual().start(() -> {
				while (atRelease.get() == null && !Thread.currentThread().isInterrupted()) {
					if (leaseOwner(id) == null) {
						atRelease.set(progress(id));
					}
				}
			});
			worker.stop();
			assertThat(leaseOwner(id)).as("the lease once the worker has stopped").isNull();
			watcher.join(Duration.ofSeconds(10));
			watcher.interrupt();
			String afterStop = progress(id);
			assertThat(atRelease.get()).as("what the run held when its lease was released").isEqualTo(afterStop);
			sleep(500); // a stage still running would fetch, transform or load a page meanwhile (pages take 100 ms)
			assertThat(progress(id)).as("nothing written after the stop").isEqualTo(afterStop);
		}
		finally {
			github.slowPages("", Duration.ZERO);
			worker.start();
		}
		JsonNode finished = finish(get(id));
		assertThat(finished.get("status").asString()).isEqualTo("succeeded");
		assertThat(finished.get("counts").get("loaded").asInt()).isEqualTo(600);
		assertThat(jdbc.sql("""
				select count(*) from github_repository_snapshots s join github_repositories r using (github_id)
				 where r.owner_login = 'handover-org'
				""").query(Long.class).single()).isEqualTo(600);
	}

	/** The run's pages by stage and its counts, as one comparable line. */
	private String progress(String run) {
		return jdbc.sql("""
				select (select string_agg(stage || ':' || count, ',' order by stage)
				          from (select stage, count(*) from etl_pages where run_id = :id::uuid group by stage) p)
				       || ' staged:' || (select count(*) from etl_staged where run_id = :id::uuid)
				       || ' counts:' || (select concat_ws(',', pages, extracted)
				                           from etl_runs where id = :id::uuid)
				""").param("id", run).query(String.class).single();
	}

	private @org.jspecify.annotations.Nullable String leaseOwner(String run) {
		String owner = jdbc.sql("select coalesce(lease_owner, '') from etl_runs where id = :id::uuid").param("id", run)
			.query(String.class)
			.single();
		return owner.isEmpty() ? null : owner;
	}

	@Test
	void theEtlsMetricsAreExposedForPrometheus() {
		github.org("metrics-org", 20);
		finish(start(Map.of("org", "metrics-org")));
		finish(start(Map.of("org", "metrics-org")));

		String metrics = api.get("/actuator/prometheus").asAdmin().send().body();

		assertThat(metrics).contains("walleye_etl_github_requests_total{application=\"walleye\",status=\"200\"}")
			.contains("status=\"304\"")
			.contains("walleye_etl_github_not_modified_share")
			.contains("walleye_etl_github_rate_limit_remaining")
			.contains("walleye_etl_rate_limit_waited_seconds_total")
			.contains("walleye_etl_rows_upserted_total{application=\"walleye\",outcome=\"inserted\"}")
			.contains("walleye_etl_rows_rejected_total");
	}

	@Test
	void badRequestsAreProblems() {
		TestApi.Response twoSources = api.post("/api/v1/etl/runs", Map.of("source", Map.of("org", "a", "user", "b")))
			.asAdmin()
			.send();
		assertThat(twoSources.status()).isEqualTo(400);
		assertThat(twoSources.json().get("code").asString()).isEqualTo("invalid_source");

		TestApi.Response unknownField = api.post("/api/v1/etl/runs", "{\"source\":{\"repo\":\"x\"}}").asAdmin().send();
		assertThat(unknownField.status()).isEqualTo(400);
		assertThat(unknownField.contentType()).startsWith("application/problem+json");

		TestApi.Response noSource = api.post("/api/v1/etl/runs", "{}").asAdmin().send();
		assertThat(noSource.status()).isEqualTo(400);

		assertThat(api.post("/api/v1/etl/runs", Map.of("source", Map.of("org", "x"))).send().status()).isEqualTo(401);
		assertThat(api.get("/api/v1/etl/runs/0190b4d8-0000-7000-8000-000000000000").asAdmin().send().status())
			.isEqualTo(404);
		assertThat(api.get("/api/v1/repositories?cursor=nonsense").asAdmin().send().status()).isEqualTo(400);
		assertThat(api.get("/api/v1/repositories?sort=size").asAdmin().send().status()).isEqualTo(400);
		assertThat(api.get("/api/v1/repositories/nobody/nothing").asAdmin().send().status()).isEqualTo(404);
	}

	@Test
	void repositoriesAreListedWithFiltersAndAKeysetCursorAndCountedByLanguageAndOwner() {
		github.org("list-org", 120);
		finish(start(Map.of("org", "list-org")));

		List<Long> seen = new java.util.ArrayList<>();
		String cursor = null;
		int previousStars = Integer.MAX_VALUE;
		do {
			JsonNode page = api.get("/api/v1/repositories?owner=list-org&limit=50"
					+ (cursor == null ? "" : "&cursor=" + cursor)).asAdmin().send().json();
			for (JsonNode item : page.get("items")) {
				seen.add(item.get("github_id").asLong());
				assertThat(item.get("stargazers_count").asInt()).isLessThanOrEqualTo(previousStars);
				previousStars = item.get("stargazers_count").asInt();
			}
			cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
		}
		while (cursor != null);
		assertThat(seen).hasSize(120).doesNotHaveDuplicates();

		JsonNode java = api.get("/api/v1/repositories?owner=list-org&language=Java&min_stars=1&sort=updated&limit=500")
			.asAdmin()
			.send()
			.json();
		assertThat(java.get("items")).isNotEmpty()
			.allSatisfy(item -> assertThat(item.get("language").asString()).isEqualTo("Java"));

		JsonNode search = api.get("/api/v1/repositories?q=list-org/repo-11").asAdmin().send().json();
		assertThat(search.get("items")).extracting(item -> item.get("full_name").asString())
			.contains("list-org/repo-11", "list-org/repo-110");

		JsonNode stats = api.get("/api/v1/repositories/stats").asAdmin().send().json();
		assertThat(stats.get("repositories").asLong()).isGreaterThanOrEqualTo(120);
		assertThat(stats.get("by_language")).anySatisfy(group -> assertThat(group.get("key").asString()).isEqualTo("Java"));
		assertThat(stats.get("by_owner")).isNotEmpty();

		JsonNode runs = api.get("/api/v1/etl/runs?limit=2").asAdmin().send().json();
		assertThat(runs.get("items")).hasSize(2);
		assertThat(runs.get("next_cursor").isNull()).isFalse();
	}

	// ---- helpers --------------------------------------------------------------------------------------------

	long repositoriesOf(String owner) {
		return jdbc.sql("select count(*) from github_repositories where owner_login = :owner")
			.param("owner", owner)
			.query(Long.class)
			.single();
	}

	JsonNode start(Map<String, String> source) {
		return start(source, null);
	}

	JsonNode start(Map<String, String> source, Integer max) {
		Map<String, Object> body = new HashMap<>();
		body.put("source", source);
		if (max != null) {
			body.put("max_repositories", max);
		}
		TestApi.Response response = api.post("/api/v1/etl/runs", body).asAdmin().send();
		assertThat(response.status()).as(response.toString()).isEqualTo(202);
		assertThat(response.json().get("status").asString()).isEqualTo("queued");
		return response.json();
	}

	JsonNode get(String id) {
		TestApi.Response response = api.get("/api/v1/etl/runs/" + id).asAdmin().send();
		assertThat(response.status()).isEqualTo(200);
		return response.json();
	}

	JsonNode finish(JsonNode run) {
		return await(run, r -> List.of("succeeded", "failed", "cancelled").contains(r.get("status").asString()),
				Duration.ofSeconds(60));
	}

	JsonNode await(JsonNode run, Predicate<JsonNode> condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		JsonNode current = run;
		while (System.nanoTime() < deadline) {
			current = get(run.get("id").asString());
			if (condition.test(current)) {
				return current;
			}
			sleep(50);
		}
		throw new AssertionError("run did not get there in " + timeout + ": " + current);
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}
}
