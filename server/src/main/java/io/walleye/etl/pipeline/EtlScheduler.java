package io.walleye.etl.pipeline;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

import io.walleye.etl.Etl;
import io.walleye.etl.EtlProperties;

/**
 * Starts the runs of {@code walleye.etl.schedules} when their cron expressions come due (UTC). Every worker checks;
 * the first to record a (schedule, instant) in etl_schedule_fires starts the run, so each instant fires once.
 */
@Component
class EtlScheduler {

	private static final Logger log = LoggerFactory.getLogger(EtlScheduler.class);

	private final EtlProperties properties;

	private final Etl etl;

	private final Clock clock;

	private final Map<String, ZonedDateTime> checkedUntil = new HashMap<>();

	EtlScheduler(EtlProperties properties, Etl etl, Clock clock) {
		this.properties = properties;
		this.etl = etl;
		this.clock = clock;
		for (EtlProperties.Schedule schedule : properties.schedules()) {
			CronExpression.parse(schedule.cron()); // fail at start on a bad expression
			schedule.source();
		}
	}

	/** Continues from where another scheduler's checks stopped (tests move the clock this way). */
	synchronized void checkedFrom(EtlScheduler other) {
		checkedUntil.putAll(other.checkedUntil);
	}

	synchronized void fireDue() {
		ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
		for (EtlProperties.Schedule schedule : properties.schedules()) {
			ZonedDateTime from = checkedUntil.getOrDefault(schedule.name(), now);
			ZonedDateTime due = CronExpression.parse(schedule.cron()).next(from);
			if (due != null && !due.isAfter(now)) {
				Instant at = due.toInstant();
				etl.fireSchedule(schedule.name(), at, schedule.source(), schedule.maxRepositories())
					.ifPresent(run -> log.info("Schedule '{}' started ETL run {} for {}", schedule.name(), run, at));
				checkedUntil.put(schedule.name(), due);
			}
			else {
				checkedUntil.putIfAbsent(schedule.name(), now);
			}
		}
	}
}
