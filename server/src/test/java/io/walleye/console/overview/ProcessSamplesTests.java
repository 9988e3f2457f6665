package io.walleye.console.overview;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessSamplesTests {

	final MeterRegistry meters = new SimpleMeterRegistry();

	final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T12:00:10Z"));

	final Clock clock = new Clock() {
		@Override
		public Instant instant() {
			return now.get();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}
	};

	final ProcessSamples samples = new ProcessSamples(meters, clock);

	void requests(String uri, String status, int count) {
		Timer timer = Timer.builder("http.server.requests").tag("uri", uri).tag("status", status).register(meters);
		for (int i = 0; i < count; i++) {
			timer.record(Duration.ofMillis(1));
		}
	}

	@Test
	void countsRequestsPerMinuteByStatusClassFromTheRunningTotals() {
		requests("/api/v1/wallets", "200", 5);
		samples.sample();
		requests("/api/v1/wallets", "201", 3);
		requests("/api/v1/charges", "402", 2);
		now.set(Instant.parse("2026-03-01T12:00:40Z"));
		samples.sample();
		requests("/api/v1/charges", "500", 1);
		now.set(Instant.parse("2026-03-01T12:01:05Z"));
		samples.sample();

		var perMinute = samples.requestsPerMinute();
		// The first sample is the baseline: what happened before it is not attributed to any minute.
		assertThat(perMinute.get(Instant.parse("2026-03-01T12:00:00Z"))).containsExactly(3, 0, 2, 0);
		assertThat(perMinute.get(Instant.parse("2026-03-01T12:01:00Z"))).containsExactly(0, 0, 0, 1);
	}

	@Test
	void leavesConsoleStaticAndActuatorTrafficOut() {
		samples.sample();
		requests("/console/api/overview", "200", 4);
		requests("/webjars/**", "200", 4);
		requests("/actuator/prometheus", "200", 4);
		requests("/api/v1/events", "202", 1);
		samples.sample();

		assertThat(samples.requestsPerMinute().get(Instant.parse("2026-03-01T12:00:00Z"))).containsExactly(1, 0, 0, 0);
	}

	@Test
	void keepsOneHour() {
		samples.sample();
		requests("/api/v1/wallets", "200", 1);
		samples.sample();
		now.set(Instant.parse("2026-03-01T13:30:00Z"));
		samples.sample();

		assertThat(samples.requestsPerMinute()).doesNotContainKey(Instant.parse("2026-03-01T12:00:00Z"));
		assertThat(samples.levelsSince(Instant.EPOCH))
			.allSatisfy(level -> assertThat(level.at()).isAfterOrEqualTo(Instant.parse("2026-03-01T12:30:00Z")));
	}
}
