package io.walleye.webhooks.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryScheduleTests {

	private final RetrySchedule schedule = new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5)));

	@Test
	void eachRetryWaitsItsDelayWithin20PercentAndNoneFollowsTheLast() {
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < 100; i++) {
			assertThat(schedule.next(1, null, random)).hasValueSatisfying(
					wait -> assertThat(wait).isBetween(Duration.ofMillis(4000), Duration.ofMillis(6000)));
			assertThat(schedule.next(2, null, random)).hasValueSatisfying(
					wait -> assertThat(wait).isBetween(Duration.ofSeconds(240), Duration.ofSeconds(360)));
		}
		assertThat(schedule.maxAttempts()).isEqualTo(3);
		assertThat(schedule.next(3, null, random)).isEmpty();
	}

	@Test
	void retryAfterWinsAndIsBounded() {
		Instant now = Instant.parse("2026-12-05T12:00:00Z");
		assertThat(schedule.next(1, Duration.ofSeconds(90), new SplittableRandom())).contains(Duration.ofSeconds(90));
		assertThat(RetrySchedule.retryAfter("120", now)).contains(Duration.ofSeconds(120));
		assertThat(RetrySchedule.retryAfter("Sat, 05 Dec 2026 12:01:00 GMT", now)).contains(Duration.ofMinutes(1));
		assertThat(RetrySchedule.retryAfter("9999999", now)).contains(Duration.ofHours(24));
		assertThat(RetrySchedule.retryAfter("soon", now)).isEmpty();
	}
}
