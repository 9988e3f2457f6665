package io.walleye.eye.web;

import java.time.Duration;

import org.springframework.stereotype.Component;

import io.walleye.platform.ratelimit.Quota;
import io.walleye.platform.ratelimit.RateLimits;

/**
 * The browser intake's buckets in the platform's limiter: per node or cluster-wide as {@code WALLEYE_RATE_LIMIT_STORE}
 * says, like every other limit (docs/security.md).
 */
@Component
class PlatformRateLimiter implements RateLimiter {

	private final RateLimits limits;

	PlatformRateLimiter(RateLimits limits) {
		this.limits = limits;
	}

	@Override
	public Duration tryConsume(String bucket, int perSecond) {
		if (perSecond <= 0) {
			return Duration.ZERO;
		}
		RateLimits.Decision decision = limits.tryConsume(bucket, "browser", new Quota(perSecond, Duration.ofSeconds(1)));
		return decision.allowed() ? Duration.ZERO : Duration.ofSeconds(Math.max(1, decision.retryAfterSeconds()));
	}
}
