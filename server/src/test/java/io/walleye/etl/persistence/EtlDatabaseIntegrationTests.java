package io.walleye.etl.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.etl.DatabaseFailure;
import io.walleye.support.WalleyeIntegrationTest;

/**
 * Database failures provoked against real PostgreSQL servers — one stopped, a statement past its timeout, a
 * constraint violated — come out classified, retried only when that is safe, and without credentials.
 */
@WalleyeIntegrationTest
class EtlDatabaseIntegrationTests {

	@Autowired
	EtlDatabase database;

	@Test
	void aStoppedServerIsCannotConnectAfterBoundedRetries() throws Exception {
		EmbeddedPostgres second = EmbeddedPostgres.builder().start();
		DataSource dataSource = second.getDatabase("postgres", "postgres");
		EtlDatabase other = new EtlDatabase(dataSource);
		assertThat(other.read("probe", () -> other.jdbc().sql("select 1").query(Integer.class).single())).isEqualTo(1);

		second.close();

		assertThatThrownBy(() -> other.read("etl.count", () -> other.jdbc().sql("select 1").query(Integer.class).single()))
			.isInstanceOfSatisfying(DatabaseFailure.class, failure -> {
				assertThat(failure.kind()).isEqualTo(DatabaseFailure.Kind.CANNOT_CONNECT);
				assertThat(failure.attempts()).isEqualTo(EtlDatabase.MAX_ATTEMPTS);
				assertThat(failure.getMessage()).isEqualTo("etl.count failed: cannot_connect after 3 attempt(s)");
			});
		assertThatThrownBy(() -> other.write("etl.start", () -> other.jdbc().sql("select 1").update()))
			.isInstanceOfSatisfying(DatabaseFailure.class,
					failure -> assertThat(failure.kind()).isEqualTo(DatabaseFailure.Kind.CANNOT_CONNECT));
	}

	@Test
	void aStatementPastItsTimeoutIsTimedOutAndAWriteIsNotRepeated() {
		assertThatThrownBy(() -> database.write("etl.slow", () -> {
			database.jdbc().sql("set local statement_timeout = '100ms'").update();
			return database.jdbc().sql("select pg_sleep(2)").query(Object.class).single();
		})).isInstanceOfSatisfying(DatabaseFailure.class, failure -> {
			assertThat(failure.kind()).isEqualTo(DatabaseFailure.Kind.TIMED_OUT);
			assertThat(failure.attempts()).isEqualTo(1);
		});
	}

	@Test
	void aTimedOutReadIsRetriedWithinItsBound() {
		int[] calls = { 0 };
		assertThatThrownBy(() -> database.read("etl.slow-read", () -> {
			calls[0]++;
			return database.write("etl.slow-read.tx", () -> {
				database.jdbc().sql("set local statement_timeout = '50ms'").update();
				return database.jdbc().sql("select pg_sleep(1)").query(Object.class).single();
			});
		})).isInstanceOf(DatabaseFailure.class);
		assertThat(calls[0]).isEqualTo(1); // the inner write already classified it: a DatabaseFailure is final
	}

	@Test
	void aConstraintViolationIsClassifiedAndNotRetried() {
		assertThatThrownBy(() -> database.write("etl.bad-row", () -> database.jdbc().sql("""
				insert into github_repositories (github_id, full_name, owner_login, name, stargazers_count, forks_count,
				       open_issues_count, watchers_count, fork, archived, size_kb, created_at, updated_at, raw, loaded_at)
				values (-1, 'x/y', 'x', 'y', -5, 0, 0, 0, false, false, 0, :now, :now, '{}', :now)
				""").param("now", Timestamp.from(Instant.now())).update()))
			.isInstanceOfSatisfying(DatabaseFailure.class, failure -> {
				assertThat(failure.kind()).isEqualTo(DatabaseFailure.Kind.CONSTRAINT);
				assertThat(failure.attempts()).isEqualTo(1);
			});
	}

	@Test
	void driverMessagesLoseTheirCredentialsBeforeTheyAreLogged() {
		assertThat(DatabaseFailure.sanitize(
				"Connection to postgres://walleye:s3cret@db:5432/walleye refused; password=s3cret user=walleye"))
			.doesNotContain("s3cret")
			.doesNotContain("user=walleye");
	}
}
