package io.walleye.webhooks.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

/**
 * When a failed delivery is tried again: the n-th retry waits the n-th delay of the schedule, spread by a random
 * factor between 0.8 and 1.2 (so that the deliveries of one outage do not all return at the same instant), or what
 * the receiver asked for in {@code Retry-After} on a 429 or 503. After the last delay there is no retry.
 */
public record RetrySchedule(List<Duration> delays) {

	/** The longest wait a {@code Retry-After} may impose: a receiver cannot park a delivery for ever. */
	static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

	public RetrySchedule {
		delays = List.copyOf(delays);
		if (delays.stream().anyMatch(delay -> delay.isNegative())) {
			throw new IllegalArgumentException("retry delays must not be negative");
		}
	}

	/** Attempts a delivery gets in all: the first and one per delay. */
	public int maxAttempts() {
		return delays.size() + 1;
	}

	/**
	 * The wait before the next attempt after {@code attemptsMade} attempts failed, or empty when that was the last.
	 * {@code retryAfter} (already bounded) wins over the schedule when the receiver sent one.
	 */
	public Optional<Duration> next(int attemptsMade, @Nullable Duration retryAfter, RandomGenerator random) {
		if (attemptsMade >= maxAttempts()) {
			return Optional.empty();
		}
		if (retryAfter != null) {
			return Optional.of(retryAfter);
		}
		Duration delay = delays.get(attemptsMade - 1);
		double factor = 0.8 + 0.4 * random.nextDouble();
		return Optional.of(Duration.ofMillis(Math.round(delay.toMillis() * factor)));
	}

	/**
	 * A {@code Retry-After} value (delay-seconds or an HTTP-date) as a wait from {@code now}, between zero and 24 h;
	 * empty when absent or unreadable.
	 */
	public static Optional<Duration> retryAfter(@Nullable String value, Instant now) {
		if (value == null || value.isBlank()) {
			return Optional.empty();
		}
		String text = value.strip();
		Duration wait;
		try {
			wait = Duration.ofSeconds(Long.parseLong(text));
		}
		catch (NumberFormatException notSeconds) {
			try {
				wait = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
			}
			catch (DateTimeParseException notADate) {
				return Optional.empty();
			}
		}
		if (wait.isNegative()) {
			return Optional.of(Duration.ZERO);
		}
		return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
	}
}
