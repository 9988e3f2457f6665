package io.walleye.platform.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLadvisoryLockBasedProxyManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.walleye.platform.ApiException;

/**
 * Token buckets by caller key: {@link #tryConsume} takes one token from the bucket of a key under a named policy and
 * says whether the request may go on, with what the RateLimit headers report. Buckets live in this node's memory
 * (bounded, least recently used evicted; an idle bucket is dropped once it would have refilled anyway) or, with
 * {@code walleye.rate-limit.store=postgres}, in the table {@code rate_limit_buckets} shared by every node (Bucket4j's
 * advisory-lock proxy: one short transaction per request).
 */
@Component
public class RateLimits {

	private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

	private final RateLimitProperties properties;

	private final TimeMeter time;

	private final Cache<String, Held> local;

	private final @Nullable PostgreSQLadvisoryLockBasedProxyManager<String> shared;

	private final AtomicLong lastStoreWarning = new AtomicLong();

	@Autowired
	RateLimits(RateLimitProperties properties, DataSource dataSource) {
		this(properties, TimeMeter.SYSTEM_MILLISECONDS,
				properties.store() == RateLimitProperties.Store.POSTGRES ? dataSource : null);
	}

	/** A clock of the test's choosing; {@code dataSource} null counts in memory. */
	RateLimits(RateLimitProperties properties, TimeMeter time, @Nullable DataSource dataSource) {
		this.properties = properties;
		this.time = time;
		this.local = Caffeine.newBuilder()
			.maximumSize(properties.maxBuckets())
			// an idle bucket has refilled after its window: dropping it then changes nothing
			.expireAfter(Expiry.accessing((String key, Held held) -> held.window().plusSeconds(1)))
			.build();
		this.shared = dataSource == null ? null
				: Bucket4jPostgreSQL.advisoryLockBasedBuilder(dataSource)
					.primaryKeyMapper(PrimaryKeyMapper.STRING)
					.lockIdSupplier(RateLimits::lockId)
					.table("rate_limit_buckets")
					.lockColumn("lock_id")
					// a row may go once its bucket is full again: a new one would be the same
					.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
					.build();
	}

	/**
	 * Takes one token for {@code key} under {@code policy} (a short name that also appears in the RateLimit headers,
	 * e.g. {@code customer} or {@code address}). Keys of different policies never share a bucket, and a changed quota
	 * starts a fresh one. A store that cannot be reached lets the request through (logged): the limiter never turns a
	 * database hiccup into refusals of its own.
	 */
	public Decision tryConsume(String key, String policy, Quota quota) {
		if (!properties.enabled() || quota.unlimited()) {
			return Decision.unlimited(policy, quota);
		}
		String id = policy + ":" + quota + ":" + key;
		ConsumptionProbe probe;
		try {
			probe = bucket(id, quota).tryConsumeAndReturnRemaining(1);
		}
		catch (RuntimeException failure) {
			storeFailed(failure);
			return Decision.unlimited(policy, quota);
		}
		return new Decision(probe.isConsumed(), policy, quota, probe.getRemainingTokens(),
				seconds(probe.getNanosToWaitForReset()), probe.isConsumed() ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill())));
	}

	private Bucket bucket(String id, Quota quota) {
		if (shared != null) {
			return shared.builder()
				.build(id, () -> BucketConfiguration.builder()
					.addLimit(limit -> limit.capacity(quota.limit()).refillGreedy(quota.limit(), quota.window()))
					.build());
		}
		return local.get(id, key -> new Held(Bucket.builder()
			.addLimit(limit -> limit.capacity(quota.limit()).refillGreedy(quota.limit(), quota.window()))
			.withCustomTimePrecision(time)
			.build(), quota.window())).bucket();
	}

	private record Held(Bucket bucket, Duration window) {
	}

	/** Deletes the shared buckets that have refilled (the table would otherwise keep one row per key ever seen). */
	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1M")
	void removeFullBuckets() {
		if (shared == null) {
			return;
		}
		try {
			while (shared.removeExpired(1000) >= 1000) {
				// another batch
			}
		}
		catch (RuntimeException failure) {
			storeFailed(failure);
		}
	}

	private void storeFailed(RuntimeException failure) {
		long now = System.nanoTime();
		long last = lastStoreWarning.get();
		if (now - last > TimeUnit.SECONDS.toNanos(10) && lastStoreWarning.compareAndSet(last, now)) {
			Throwable cause = failure;
			while (cause.getCause() != null && cause.getCause() != cause) {
				cause = cause.getCause();
			}
			log.warn("Rate-limit store unavailable, requests pass unlimited meanwhile: {}: {}",
					cause.getClass().getSimpleName(), cause.getMessage());
		}
	}

	private static long seconds(long nanos) {
		return (nanos + 999_999_999L) / 1_000_000_000L;
	}

	/** A stable 64-bit advisory-lock id for a bucket key (String.hashCode would collide far more often). */
	private static long lockId(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
			long id = 0;
			for (int i = 0; i < 8; i++) {
				id = (id << 8) | (digest[i] & 0xff);
			}
			return id;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What a request may do and what to tell its caller.
	 *
	 * @param allowed whether a token was taken
	 * @param policy the policy's name
	 * @param quota its limit and window
	 * @param remaining tokens left
	 * @param resetSeconds seconds until the bucket is full again
	 * @param retryAfterSeconds when refused, seconds until a token is there (at least 1); 0 when allowed
	 */
	public record Decision(boolean allowed, String policy, Quota quota, long remaining, long resetSeconds,
			long retryAfterSeconds) {

		static Decision unlimited(String policy, Quota quota) {
			return new Decision(true, policy, quota, Long.MAX_VALUE, 0, 0);
		}

		public boolean limited() {
			return !quota.unlimited() && remaining != Long.MAX_VALUE;
		}

		/**
		 * The IETF RateLimit headers ({@code RateLimit-Policy: "customer";q=100;w=1},
		 * {@code RateLimit: "customer";r=42;t=1}), and {@code Retry-After} on a refusal; nothing when unlimited.
		 */
		public void headers(BiConsumer<String, String> header) {
			if (!limited()) {
				return;
			}
			header.accept("RateLimit-Policy", "\"" + policy + "\";q=" + quota.limit() + ";w=" + quota.windowSeconds());
			header.accept("RateLimit", "\"" + policy + "\";r=" + remaining + ";t=" + resetSeconds);
			if (!allowed) {
				header.accept(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
			}
		}

		/** The 429 {@code rate_limited} a refused request gets, with its headers. */
		public ApiException refusal() {
			ApiException refusal = new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", "Too many requests",
					"Rate limit of " + quota.limit() + " requests per " + quota.windowSeconds() + " s ('" + policy
							+ "') reached; retry after " + retryAfterSeconds + " s")
				.with("retry_after_seconds", retryAfterSeconds);
			headers(refusal::header);
			return refusal;
		}
	}
}
