package io.walleye.etl;

import java.util.Locale;

/** Where a run is; the last three are final. */
public enum RunStatus {

	QUEUED, RUNNING, WAITING_RATE_LIMIT, SUCCEEDED, FAILED, CANCELLED;

	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static RunStatus of(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

	public boolean finished() {
		return this == SUCCEEDED || this == FAILED || this == CANCELLED;
	}
}
