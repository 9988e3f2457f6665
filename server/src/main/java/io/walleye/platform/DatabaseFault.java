package io.walleye.platform;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * What kind of database failure an exception is, decided once from its SQLState (or Spring's translation of it), so
 * the web layer, the group-commit writers and the ETL react to the kind alone. SQLState classes: 08 connection,
 * 57P01-03 server shutting down or starting, 53300 too many connections, 57014 statement timeout (or cancel), 55P03
 * lock timeout, 23 integrity, 40001 serialization, 40P01 deadlock.
 */
public enum DatabaseFault {

	/** No connection could be had or the one in use broke: down, stopped, unreachable, or the pool stayed empty. */
	UNAVAILABLE,
	/** A statement ran past {@code statement_timeout}, or the driver gave up waiting for any answer. */
	STATEMENT_TIMEOUT,
	/** A row lock was not granted within {@code lock_timeout}: someone else holds it. Other rows are unaffected. */
	LOCK_TIMEOUT,
	/** A constraint (unique, foreign key, check, not null) refused the data. */
	CONSTRAINT,
	/** A serialization failure or deadlock: the transaction lost a race. */
	SERIALIZATION,
	/** Any other database error: a bug or a schema mismatch. */
	OTHER;

	/** The kind, or null when the exception does not come from the database. */
	public static @Nullable DatabaseFault of(Throwable exception) {
		if (exception instanceof TransactionSystemException ended) {
			// A rollback (or commit) on a connection that broke mid-transaction fails too, and Spring reports that
			// failure in place of the one that started it.
			Throwable original = ended.getApplicationException();
			DatabaseFault fault = original == null ? null : of(original);
			return fault != null ? fault : UNAVAILABLE;
		}
		String sqlState = sqlState(exception);
		if (sqlState != null) {
			if (sqlState.startsWith("08") || sqlState.equals("57P01") || sqlState.equals("57P02")
					|| sqlState.equals("57P03") || sqlState.equals("53300")) {
				return UNAVAILABLE;
			}
			if (sqlState.equals("57014")) {
				return STATEMENT_TIMEOUT;
			}
			if (sqlState.equals("55P03")) {
				return LOCK_TIMEOUT;
			}
			if (sqlState.startsWith("23")) {
				return CONSTRAINT;
			}
			if (sqlState.equals("40001") || sqlState.equals("40P01")) {
				return SERIALIZATION;
			}
		}
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotGetJdbcConnectionException || cause instanceof CannotCreateTransactionException
					|| cause instanceof SQLTransientConnectionException || cause instanceof java.net.ConnectException
					|| cause instanceof DataAccessResourceFailureException) {
				return UNAVAILABLE;
			}
			if (cause instanceof QueryTimeoutException) {
				return STATEMENT_TIMEOUT;
			}
			if (cause instanceof DataIntegrityViolationException) {
				return CONSTRAINT;
			}
			if (cause instanceof CannotAcquireLockException || cause instanceof PessimisticLockingFailureException) {
				return SERIALIZATION;
			}
		}
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException || cause instanceof DataAccessException) {
				return OTHER;
			}
		}
		return null;
	}

	/** The first SQLState in the cause chain, for logs. */
	public static @Nullable String sqlState(Throwable exception) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				return sql.getSQLState();
			}
		}
		return null;
	}

	/**
	 * True when the fault is the database's, not one statement's: every other statement now would fail or wait the
	 * same way, so a group-commit writer answers its whole batch instead of retrying each item on its own.
	 */
	public boolean affectsEveryone() {
		return this == UNAVAILABLE || this == STATEMENT_TIMEOUT;
	}

	/** True for the faults a client should retry after a pause: a 503 with Retry-After. */
	public boolean isOutage() {
		return this == UNAVAILABLE || this == STATEMENT_TIMEOUT || this == LOCK_TIMEOUT;
	}

	/** The 503 a request answers for an outage kind ({@code database_unavailable} or {@code database_timeout}). */
	public ApiException problem() {
		return this == UNAVAILABLE ? unavailable() : timedOut();
	}

	public static ApiException unavailable() {
		return ApiException.serviceUnavailable("database_unavailable",
				"The database cannot be reached; try again shortly");
	}

	public static ApiException timedOut() {
		return ApiException.serviceUnavailable("database_timeout",
				"The database did not answer in time; try again shortly");
	}
}
