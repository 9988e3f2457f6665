package io.walleye.platform.ratelimit;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate-limit settings ({@code walleye.rate-limit}).
 *
 * @param enabled {@code false} turns every limit off (the benchmarks measure capacity from one key and one address)
 * @param store where buckets are counted: {@code local} (this node's memory) or {@code postgres} (shared by every
 * node through the database)
 * @param maxBuckets how many buckets one node keeps in memory ({@code local}); the least recently used go first
 * @param perKey the quota of each API key or access token, by principal type ({@code customer}, {@code business},
 * {@code application}, {@code operator})
 * @param perAddress the quota of each client address on the endpoints that need no credential (sign-in,
 * registration)
 */
@ConfigurationProperties("walleye.rate-limit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("local") Store store,
		@DefaultValue("100000") int maxBuckets, @DefaultValue Map<String, Quota> perKey,
		@DefaultValue("20/1m") Quota perAddress) {

	public enum Store {

		LOCAL, POSTGRES

	}

	/** The quota for a principal type's name; unlimited when none is configured. */
	public Quota forKeyOf(String principalType) {
		return perKey.getOrDefault(principalType, Quota.UNLIMITED);
	}
}
