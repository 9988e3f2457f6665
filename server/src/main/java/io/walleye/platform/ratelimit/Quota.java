package io.walleye.platform.ratelimit;

import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.convert.DurationStyle;

/**
 * How many requests a caller may make per window: {@code 100/1s}, {@code 20/1m}, or {@code 100} (per second). A limit
 * of {@code 0} means unlimited. The bucket holds at most {@code limit} tokens and refills them evenly over the window,
 * so a caller may burst up to the limit and then sustain limit/window.
 *
 * @param limit requests per window; 0 for no limit
 * @param window the span over which {@code limit} tokens refill
 */
public record Quota(long limit, Duration window) {

	public static final Quota UNLIMITED = new Quota(0, Duration.ofSeconds(1));

	public Quota {
		if (limit < 0) {
			throw new IllegalArgumentException("A rate limit cannot be negative: " + limit);
		}
		if (window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("A rate-limit window must be positive: " + window);
		}
	}

	/** Reads {@code 100/1s}, {@code 20/1m}, {@code 100} (per second) or {@code 0}; Spring binds settings through it. */
	public static Quota valueOf(String text) {
		String trimmed = text.trim();
		int slash = trimmed.indexOf('/');
		try {
			long limit = Long.parseLong((slash < 0 ? trimmed : trimmed.substring(0, slash)).trim());
			Duration window = slash < 0 ? Duration.ofSeconds(1)
					: DurationStyle.detectAndParse(trimmed.substring(slash + 1).trim().toLowerCase(Locale.ROOT));
			return new Quota(limit, window);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"A rate limit is written requests/window, e.g. 100/1s or 20/1m, or 0 for none: '" + text + "'", ex);
		}
	}

	public boolean unlimited() {
		return limit == 0;
	}

	/** The window in whole seconds (at least 1), as the RateLimit-Policy header states it. */
	public long windowSeconds() {
		return Math.max(1, (window.toMillis() + 999) / 1000);
	}

	@Override
	public String toString() {
		return limit + "/" + window.toMillis() + "ms";
	}
}
