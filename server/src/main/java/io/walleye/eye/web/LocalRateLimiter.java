package io.walleye.eye.web;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import org.springframework.stereotype.Component;

/**
 * Token buckets (Bucket4j) in this node's memory. Buckets of keys and addresses not seen for a minute are dropped
 * (a full bucket is what a new one would be), and at most 100,000 are kept, so a flood of addresses costs bounded
 * memory. Per node: behind a load balancer with N nodes a client gets up to N times the limit.
 */
@Component
class LocalRateLimiter implements RateLimiter {

	private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
		.expireAfterAccess(Duration.ofMinutes(1))
		.maximumSize(100_000)
		.build();

	@Override
	public Duration tryConsume(String bucket, int perSecond) {
		if (perSecond <= 0) {
			return Duration.ZERO;
		}
		Bucket tokens = buckets.get(bucket + "/" + perSecond, name -> Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
			.build());
		ConsumptionProbe probe = tokens.tryConsumeAndReturnRemaining(1);
		return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
	}
}
