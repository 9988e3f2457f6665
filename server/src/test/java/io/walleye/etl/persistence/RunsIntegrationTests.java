package io.walleye.etl.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.walleye.etl.EtlSource;
import io.walleye.support.WalleyeIntegrationTest;

/**
 * The extract checkpoint against a commit whose answer is lost: PostgreSQL committed, the connection broke before the
 * client heard so (seen in the fault test as a paused database's socket timing out), and {@link EtlDatabase} retries.
 */
@WalleyeIntegrationTest
class RunsIntegrationTests {

	@Autowired
	EtlDatabase database;

	@Autowired
	Runs runs;

	@Test
	void aPageWhoseCommitWasNotConfirmedIsNotStoredAgainByTheRetry() {
		UUID run = UUID.randomUUID();
		String first = "http://github.test/orgs/acme/repos?page=1&r=" + run;
		String second = "http://github.test/orgs/acme/repos?page=2&r=" + run;
		database.write("test.run", () -> {
			runs.insert(run, new EtlSource.Org("acme"), null, Instant.now());
			runs.addSegment(run, null, first);
			return null;
		});

		AtomicInteger attempts = new AtomicInteger();
		boolean stored = database.write("etl.extract.store-page", () -> {
			boolean result = runs.storePage(run, 0, first, 200, "[]", 0, "\"v1\"", second, null, null, null);
			if (attempts.incrementAndGet() == 1) {
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
					@Override
					public void afterCommit() {
						throw new DataAccessResourceFailureException("the connection broke before the commit's answer");
					}
				});
			}
			return result;
		});

		assertThat(attempts).hasValue(2);
		assertThat(stored).as("the retry stores nothing").isFalse();
		assertThat(urls(run)).containsExactly(first);
		assertThat(runs.openSegments(run)).singleElement()
			.satisfies(segment -> assertThat(segment.nextUrl()).isEqualTo(second));
		assertThat(runs.counter(run, "pages")).isEqualTo(1);
	}

	@Test
	void validatorsOfAPageStoredTwiceBeforeTheFixAreSavedOnce() {
		UUID run = UUID.randomUUID();
		String url = "http://github.test/orgs/acme/repos?page=1&r=" + run;
		database.write("test.run", () -> {
			runs.insert(run, new EtlSource.Org("acme"), null, Instant.now());
			// two rows for one URL, as the retry above used to leave
			for (int page = 0; page < 2; page++) {
				database.jdbc().sql("""
						insert into etl_pages (run_id, page_no, url, http_status, body, stage, etag, items)
						values (:run, :page, :url, 200, '[]', 'extracted', :etag, 0)
						""").param("run", run).param("page", page).param("url", url).param("etag", "\"v" + page + "\"")
					.update();
			}
			return null;
		});

		database.write("etl.load.pages", () -> {
			runs.saveEtagOfPages(run, List.of(0, 1), Instant.now());
			return null;
		});

		assertThat(runs.etag(url)).hasValueSatisfying(etag -> assertThat(etag.etag()).isEqualTo("\"v1\""));
	}

	@Test
	void aStageWorksOnlyOnThePagesStillWaitingForIt() {
		UUID run = UUID.randomUUID();
		database.write("test.run", () -> {
			runs.insert(run, new EtlSource.Org("acme"), null, Instant.now());
			runs.addSegment(run, null, "http://github.test/p1?r=" + run);
			runs.storePage(run, 0, "http://github.test/p1?r=" + run, 200, "[]", 0, null, "http://github.test/p2?r=" + run,
					null, null, null);
			runs.storePage(run, 0, "http://github.test/p2?r=" + run, 200, "[]", 0, null, null, null, null, null);
			return null;
		});
		assertThat(database.write("t", () -> runs.lockPagesIn(run, List.of(0, 1), "extracted"))).containsExactly(0, 1);

		database.write("etl.transform.pages", () -> {
			runs.pageStage(run, List.of(0), "transformed");
			return null;
		});

		// the transform's retry of page 0 finds it transformed; load finds it, and only it
		assertThat(database.write("t", () -> runs.lockPagesIn(run, List.of(0, 1), "extracted"))).containsExactly(1);
		assertThat(database.write("t", () -> runs.lockPagesIn(run, List.of(0, 1), "transformed"))).containsExactly(0);
	}

	private List<String> urls(UUID run) {
		return database.jdbc()
			.sql("select url from etl_pages where run_id = :run order by page_no")
			.param("run", run)
			.query(String.class)
			.list();
	}
}
