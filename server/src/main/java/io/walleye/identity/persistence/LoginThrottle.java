package io.walleye.identity.persistence;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Failed sign-ins per username, kept in the database so that every API node sees the same count: after
 * {@code maxFailures} in a row the username is locked for a while.
 */
@Repository
public class LoginThrottle {

	private final JdbcClient jdbc;

	LoginThrottle(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Instant> lockedUntil(String username, Instant now) {
		return jdbc.sql("select locked_until from login_throttle where username = :username and locked_until > :now")
			.param("username", username)
			.param("now", Timestamp.from(now))
			.query(Timestamp.class)
			.optional()
			.map(Timestamp::toInstant);
	}

	/**
	 * Counts one more failure; the failure that reaches {@code maxFailures} locks the username for {@code lockFor}
	 * and starts the count afresh, so after the lock the same number of tries is allowed again.
	 */
	public void recordFailure(String username, Instant now, int maxFailures, Duration lockFor) {
		int failures = jdbc.sql("""
				insert into login_throttle (username, failures, updated_at) values (:username, 1, :now)
				on conflict (username) do update set failures = login_throttle.failures + 1, updated_at = :now
				returning failures
				""")
			.param("username", username)
			.param("now", Timestamp.from(now))
			.query(Integer.class)
			.single();
		if (failures >= maxFailures) {
			jdbc.sql("update login_throttle set failures = 0, locked_until = :until where username = :username")
				.param("username", username)
				.param("until", Timestamp.from(now.plus(lockFor)))
				.update();
		}
	}

	public void clear(String username) {
		jdbc.sql("delete from login_throttle where username = :username").param("username", username).update();
	}
}
