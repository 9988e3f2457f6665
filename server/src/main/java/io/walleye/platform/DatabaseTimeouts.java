package io.walleye.platform;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The deadlines every use of the database has, so that a database that stops answering costs a request a bounded
 * wait and a 503, never a hung thread.
 *
 * @param connectionTimeout the longest a request waits for a pooled connection (HikariCP's connectionTimeout)
 * @param statementTimeout PostgreSQL's {@code statement_timeout} on every pooled connection; 0 for none
 * @param lockTimeout PostgreSQL's {@code lock_timeout} on every pooled connection; 0 for none
 */
@ConfigurationProperties("walleye.db")
public record DatabaseTimeouts(@DefaultValue("5s") Duration connectionTimeout,
		@DefaultValue("10s") Duration statementTimeout, @DefaultValue("3s") Duration lockTimeout) {

	/** Room for a statement's answer to travel once PostgreSQL has given up on it. */
	private static final Duration MARGIN = Duration.ofSeconds(5);

	/**
	 * How long the driver waits for any answer on a connection in use. {@code statement_timeout} is enforced by the
	 * server, so a server that is stopped or cut off enforces nothing: the client gives up a margin later.
	 */
	public Duration socketTimeout() {
		return statementTimeout.isZero() ? Duration.ZERO : statementTimeout.plus(MARGIN);
	}

	/**
	 * The longest a request waits for a group-commit writer to answer it: a connection and one statement's worth.
	 */
	public Duration handOffWait() {
		Duration statement = statementTimeout.isZero() ? Duration.ofSeconds(30) : socketTimeout();
		return connectionTimeout.plus(statement);
	}
}
