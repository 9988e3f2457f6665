package io.walleye.platform;

import java.time.Clock;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	Ids ids() {
		TimeBasedEpochGenerator generator = Generators.timeBasedEpochGenerator();
		return generator::generate;
	}
}
