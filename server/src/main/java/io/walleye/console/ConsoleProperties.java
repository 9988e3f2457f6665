package io.walleye.console;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Console settings: how often the overview page refreshes and how many minutes its charts cover; how often this
 * process samples its own metrics for the platform charts.
 */
@ConfigurationProperties("walleye.console")
public record ConsoleProperties(@DefaultValue("5s") Duration refreshInterval, @DefaultValue("30") int overviewMinutes,
		@DefaultValue("5s") Duration sampleInterval) {

	public ConsoleProperties {
		if (overviewMinutes < 1 || overviewMinutes > 60) {
			// Samples are kept for one hour; a longer window would show an hour of data and empty minutes before it.
			throw new IllegalArgumentException("walleye.console.overview-minutes must be between 1 and 60");
		}
		if (refreshInterval.toMillis() < 1000 || sampleInterval.toMillis() < 1000) {
			throw new IllegalArgumentException(
					"walleye.console.refresh-interval and sample-interval must be at least 1s");
		}
	}
}
