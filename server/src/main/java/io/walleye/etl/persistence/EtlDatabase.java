package io.walleye.etl.persistence;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.walleye.etl.DatabaseFailure;
import io.walleye.platform.DatabaseFault;
import io.walleye.etl.DatabaseFailure.Kind;

/**
 * The ETL's door to PostgreSQL: every unit of work runs in one transaction, failures are classified (cannot connect,
 * timed out, constraint, serialization, other), transient ones are retried a bounded number of times with back-off,
 * and each failure is logged once with its operation, kind and SQLState — never with credentials.
 */
@Component
public class EtlDatabase {

	private static final Logger log = LoggerFactory.getLogger(EtlDatabase.class);

	static final int MAX_ATTEMPTS = 3;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	public EtlDatabase(DataSource dataSource) {
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	public JdbcClient jdbc() {
		return jdbc;
	}

	/** A write (or a read that must see one state) in one transaction; retried only when the failure is transient. */
	public <T> T write(String operation, Supplier<T> work) {
		return run(operation, false, () -> transactions.execute(status -> work.get()));
	}

	/** A read: also retried after a time-out, since repeating it changes nothing. */
	public <T> T read(String operation, Supplier<T> work) {
		return run(operation, true, work);
	}

	private <T> T run(String operation, boolean idempotent, Supplier<T> work) {
		for (int attempt = 1;; attempt++) {
			try {
				return work.get();
			}
			catch (RuntimeException ex) {
				if (ex instanceof DatabaseFailure) {
					throw ex;
				}
				Kind kind = classify(ex);
				if (kind == null) {
					throw ex;
				}
				boolean retry = (kind.isTransient() || (idempotent && kind == Kind.TIMED_OUT)) && attempt < MAX_ATTEMPTS;
				String sqlState = sqlState(ex);
				if (retry) {
					log.warn("ETL database operation '{}' failed ({}, SQLState {}), attempt {} of {}; retrying: {}",
							operation, kind, sqlState, attempt, MAX_ATTEMPTS, DatabaseFailure.sanitize(rootMessage(ex)));
					sleep(attempt);
					continue;
				}
				if (kind == Kind.CONSTRAINT) {
					log.warn("ETL database operation '{}' refused by a constraint (SQLState {}): {}", operation, sqlState,
							DatabaseFailure.sanitize(rootMessage(ex)));
				}
				else {
					log.error("ETL database operation '{}' failed ({}, SQLState {}) after {} attempt(s): {}", operation,
							kind, sqlState, attempt, DatabaseFailure.sanitize(rootMessage(ex)));
				}
				throw new DatabaseFailure(kind, operation, attempt, ex);
			}
		}
	}

	/**
	 * The kind of a database failure (as {@link DatabaseFault} classifies it), or null when the exception does not
	 * come from the database (a bug of ours, which is not retried or relabelled).
	 */
	public static @Nullable Kind classify(Throwable exception) {
		DatabaseFault fault = DatabaseFault.of(exception);
		if (fault == null) {
			return null;
		}
		return switch (fault) {
			case UNAVAILABLE -> Kind.CANNOT_CONNECT;
			case STATEMENT_TIMEOUT, LOCK_TIMEOUT -> Kind.TIMED_OUT;
			case CONSTRAINT -> Kind.CONSTRAINT;
			case SERIALIZATION -> Kind.SERIALIZATION;
			case OTHER -> Kind.OTHER;
		};
	}

	static @Nullable String sqlState(Throwable exception) {
		return DatabaseFault.sqlState(exception);
	}

	private static String rootMessage(Throwable exception) {
		Throwable root = exception;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

	private static void sleep(int attempt) {
		long base = 100L << Math.min(attempt - 1, 4);
		try {
			Thread.sleep(base + ThreadLocalRandom.current().nextLong(base));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while retrying a database operation", ex);
		}
	}
}
