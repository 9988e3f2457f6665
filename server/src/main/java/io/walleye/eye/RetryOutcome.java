package io.walleye.eye;

/** What re-validating a failed event gave: now stored, or still failed (with the new reason and messages). */
public sealed interface RetryOutcome {

	record Stored(Event event) implements RetryOutcome {
	}

	record StillFailed(FailedEvent failure) implements RetryOutcome {
	}
}
