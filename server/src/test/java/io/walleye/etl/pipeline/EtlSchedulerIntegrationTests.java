package io.walleye.etl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.etl.Etl;
import io.walleye.etl.EtlProperties;
import io.walleye.support.WalleyeIntegrationTest;

/** Cron schedules start runs when due, once per instant even when two workers check at the same time. */
@WalleyeIntegrationTest
class EtlSchedulerIntegrationTests {

	@Autowired
	Etl etl;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aDueScheduleStartsOneRunPerInstantAcrossWorkers() {
		String name = "every-minute-" + System.nanoTime();
		EtlProperties properties = new EtlProperties("http://unused", null, 10, 5, Duration.ofMillis(100),
				Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(30), 2,
				List.of(new EtlProperties.Schedule(name, "0 * * * * *", null, null, "scheduled-org", null, 5)));
		Instant start = Instant.parse("2030-01-01T10:00:30Z");
		EtlScheduler first = new EtlScheduler(properties, etl, Clock.fixed(start, ZoneOffset.UTC));
		EtlScheduler second = new EtlScheduler(properties, etl, Clock.fixed(start, ZoneOffset.UTC));
		first.fireDue();
		second.fireDue();
		assertThat(fired(name)).isZero();

		Instant later = Instant.parse("2030-01-01T10:01:05Z");
		EtlScheduler firstLater = copyAt(first, properties, later);
		EtlScheduler secondLater = copyAt(second, properties, later);
		firstLater.fireDue();
		secondLater.fireDue();

		assertThat(fired(name)).isEqualTo(1);
		assertThat(jdbc.sql("select fire_at from etl_schedule_fires where schedule = :name")
			.param("name", name)
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant()).isEqualTo(Instant.parse("2030-01-01T10:01:00Z"));
	}

	private EtlScheduler copyAt(EtlScheduler checked, EtlProperties properties, Instant now) {
		EtlScheduler scheduler = new EtlScheduler(properties, etl, Clock.fixed(now, ZoneOffset.UTC));
		scheduler.checkedFrom(checked);
		return scheduler;
	}

	private long fired(String name) {
		return jdbc.sql("select count(*) from etl_schedule_fires where schedule = :name")
			.param("name", name)
			.query(Long.class)
			.single();
	}
}
