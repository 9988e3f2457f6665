package io.walleye.etl;

/**
 * A database operation of the ETL that failed, classified so callers can react to the kind (retry later, report a
 * conflict) without parsing driver messages. The message names the operation and the kind only: driver messages can
 * carry connection details, so they go to the log after {@link #sanitize}, never to a client.
 */
public class DatabaseFailure extends RuntimeException {

	public enum Kind {

		/** No connection could be had: the server is down, unreachable, or refuses us. Transient. */
		CANNOT_CONNECT(true),
		/** A statement ran past its timeout or was cancelled. Transient, but retried only for reads. */
		TIMED_OUT(false),
		/** A constraint (unique, foreign key, check, not null) refused the data. Retrying cannot help. */
		CONSTRAINT(false),
		/** A serialization failure or deadlock: the transaction lost a race. Transient. */
		SERIALIZATION(true),
		/** Anything else: a bug or a schema mismatch. */
		OTHER(false);

		private final boolean transientFailure;

		Kind(boolean transientFailure) {
			this.transientFailure = transientFailure;
		}

		public boolean isTransient() {
			return transientFailure;
		}
	}

	private final Kind kind;

	private final String operation;

	private final int attempts;

	public DatabaseFailure(Kind kind, String operation, int attempts, Throwable cause) {
		super(operation + " failed: " + kind.name().toLowerCase(java.util.Locale.ROOT) + " after " + attempts
				+ " attempt(s)", cause);
		this.kind = kind;
		this.operation = operation;
		this.attempts = attempts;
	}

	public Kind kind() {
		return kind;
	}

	public String operation() {
		return operation;
	}

	public int attempts() {
		return attempts;
	}

	/** Removes passwords and user names a driver may have put into a message (URLs, key=value pairs). */
	public static String sanitize(String message) {
		if (message == null) {
			return "";
		}
		return message.replaceAll("(?i)(password|pwd|passwd)\\s*[=:]\\s*[^\\s&;,)]+", "$1=***")
			.replaceAll("(?i)(postgres(?:ql)?://)[^@/\\s]+@", "$1***@")
			.replaceAll("(?i)(user|username)\\s*[=:]\\s*[^\\s&;,)]+", "$1=***");
	}
}
