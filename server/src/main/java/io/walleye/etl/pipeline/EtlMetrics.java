package io.walleye.etl.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The ETL's business metrics: GitHub requests by status (the 304 share is {@code status="304"} over all), remaining
 * quota per resource, seconds waited for rate limits, rows upserted by outcome and rows rejected.
 */
@Component
class EtlMetrics {

	private final MeterRegistry registry;

	private final Map<String, AtomicInteger> remaining = new ConcurrentHashMap<>();

	private final Counter waited;

	private final Counter rejected;

	EtlMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.waited = Counter.builder("walleye.etl.rate_limit.waited")
			.baseUnit("seconds")
			.description("Time runs spent waiting for GitHub's rate limits")
			.register(registry);
		this.rejected = Counter.builder("walleye.etl.rows.rejected")
			.description("Records that could not be transformed")
			.register(registry);
		Gauge.builder("walleye.etl.github.not_modified.share", this, EtlMetrics::notModifiedShare)
			.description("Share of GitHub answers that were 304 Not Modified")
			.register(registry);
	}

	void request(String status) {
		Counter.builder("walleye.etl.github.requests")
			.description("Requests to GitHub by answer status")
			.tag("status", status)
			.register(registry)
			.increment();
	}

	void remaining(String resource, int value) {
		remaining.computeIfAbsent(resource, key -> {
			AtomicInteger gauge = new AtomicInteger(value);
			Gauge.builder("walleye.etl.github.rate_limit.remaining", gauge, AtomicInteger::get)
				.description("Requests left in GitHub's current rate-limit window")
				.tag("resource", key)
				.register(registry);
			return gauge;
		}).set(value);
	}

	void waited(Duration duration) {
		waited.increment(duration.toMillis() / 1000.0);
	}

	void upserted(int inserted, int updated, int unchanged) {
		counter("inserted").increment(inserted);
		counter("updated").increment(updated);
		counter("unchanged").increment(unchanged);
	}

	void rejected(int count) {
		rejected.increment(count);
	}

	private Counter counter(String outcome) {
		return Counter.builder("walleye.etl.rows.upserted")
			.description("Rows loaded, by outcome")
			.tag("outcome", outcome)
			.register(registry);
	}

	private double notModifiedShare() {
		double all = 0;
		double notModified = 0;
		for (Counter counter : registry.find("walleye.etl.github.requests").counters()) {
			all += counter.count();
			if ("304".equals(counter.getId().getTag("status"))) {
				notModified += counter.count();
			}
		}
		return all == 0 ? 0 : notModified / all;
	}
}
