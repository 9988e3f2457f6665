package io.walleye.platform.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitsTests {

	private final ManualTime time = new ManualTime();

	private final RateLimits limits = new RateLimits(properties(true), time, null);

	@Test
	void aKeyMayUseItsQuotaThenIsRefusedUntilATokenRefills() {
		Quota quota = Quota.valueOf("3/1m");
		assertThat(limits.tryConsume("k", "customer", quota).remaining()).isEqualTo(2);
		assertThat(limits.tryConsume("k", "customer", quota).remaining()).isEqualTo(1);
		assertThat(limits.tryConsume("k", "customer", quota).allowed()).isTrue();

		RateLimits.Decision refused = limits.tryConsume("k", "customer", quota);
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.remaining()).isZero();
		assertThat(refused.retryAfterSeconds()).isEqualTo(20);

		time.advance(Duration.ofSeconds(20));
		assertThat(limits.tryConsume("k", "customer", quota).allowed()).isTrue();
		assertThat(limits.tryConsume("k", "customer", quota).allowed()).isFalse();
	}

	@Test
	void keysAndPoliciesHaveBucketsOfTheirOwn() {
		Quota one = Quota.valueOf("1/1m");
		assertThat(limits.tryConsume("a", "customer", one).allowed()).isTrue();
		assertThat(limits.tryConsume("a", "customer", one).allowed()).isFalse();
		assertThat(limits.tryConsume("b", "customer", one).allowed()).isTrue();
		assertThat(limits.tryConsume("a", "address", one).allowed()).isTrue();
		// a changed quota starts afresh instead of inheriting a bucket sized for the old one
		assertThat(limits.tryConsume("a", "customer", Quota.valueOf("2/1m")).allowed()).isTrue();
	}

	@Test
	void headersFollowTheIetfDraftAndRetryAfterComesOnlyWithARefusal() {
		Quota quota = Quota.valueOf("2/1s");
		Map<String, String> allowed = headers(limits.tryConsume("h", "business", quota));
		assertThat(allowed).containsEntry("RateLimit-Policy", "\"business\";q=2;w=1")
			.containsEntry("RateLimit", "\"business\";r=1;t=1")
			.doesNotContainKey("Retry-After");
		limits.tryConsume("h", "business", quota);
		RateLimits.Decision refused = limits.tryConsume("h", "business", quota);
		assertThat(headers(refused)).containsEntry("RateLimit", "\"business\";r=0;t=1").containsEntry("Retry-After", "1");
		assertThat(refused.refusal().code()).isEqualTo("rate_limited");
		assertThat(refused.refusal().status().value()).isEqualTo(429);
		assertThat(refused.refusal().headers().getFirst("Retry-After")).isEqualTo("1");
	}

	@Test
	void zeroMeansUnlimitedAndSendsNoHeaders() {
		for (int i = 0; i < 1000; i++) {
			assertThat(limits.tryConsume("u", "customer", Quota.valueOf("0")).allowed()).isTrue();
		}
		assertThat(headers(limits.tryConsume("u", "customer", Quota.UNLIMITED))).isEmpty();
	}

	@Test
	void disabledLimitsRefuseNothing() {
		RateLimits off = new RateLimits(properties(false), time, null);
		Quota one = Quota.valueOf("1/1m");
		assertThat(off.tryConsume("k", "customer", one).allowed()).isTrue();
		assertThat(off.tryConsume("k", "customer", one).allowed()).isTrue();
	}

	@Test
	void quotasAreReadAsRequestsPerWindow() {
		assertThat(Quota.valueOf("100/1s")).isEqualTo(new Quota(100, Duration.ofSeconds(1)));
		assertThat(Quota.valueOf(" 20 / 1m ")).isEqualTo(new Quota(20, Duration.ofMinutes(1)));
		assertThat(Quota.valueOf("1000")).isEqualTo(new Quota(1000, Duration.ofSeconds(1)));
		assertThat(Quota.valueOf("0").unlimited()).isTrue();
		assertThat(Quota.valueOf("5/500ms").windowSeconds()).isEqualTo(1);
		assertThatThrownBy(() -> Quota.valueOf("-1")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Quota.valueOf("ten/1s")).hasMessageContaining("e.g. 100/1s");
		assertThatThrownBy(() -> Quota.valueOf("10/0s")).isInstanceOf(IllegalArgumentException.class);
	}

	private static Map<String, String> headers(RateLimits.Decision decision) {
		Map<String, String> headers = new LinkedHashMap<>();
		decision.headers(headers::put);
		return headers;
	}

	private static RateLimitProperties properties(boolean enabled) {
		return new RateLimitProperties(enabled, RateLimitProperties.Store.LOCAL, 1000, Map.of(), Quota.valueOf("20/1m"));
	}

	/** Bucket4j's clock, moved by the test: refill is checked without waiting. */
	private static final class ManualTime implements TimeMeter {

		private long nanos = TimeUnit.DAYS.toNanos(1);

		void advance(Duration duration) {
			nanos += duration.toNanos();
		}

		@Override
		public long currentTimeNanos() {
			return nanos;
		}

		@Override
		public boolean isWallClockBased() {
			return false;
		}
	}
}
