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
}
