package io.walleye.eye;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why the worker refused an accepted event. */
public enum FailureReason {

	SCHEMA_VIOLATION, TIMESTAMP_IN_FUTURE, UNKNOWN_TYPE,

	/** A Kafka record that could not be parsed into an event at all. */
	UNREADABLE;

	@JsonValue
	public String code() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static FailureReason ofCode(String code) {
		return valueOf(code.toUpperCase(Locale.ROOT));
	}

	/** The reason a client named, or null when it names none. */
	public static java.util.Optional<FailureReason> parse(String code) {
		for (FailureReason reason : values()) {
			if (reason.code().equals(code)) {
				return java.util.Optional.of(reason);
			}
		}
		return java.util.Optional.empty();
	}
}
