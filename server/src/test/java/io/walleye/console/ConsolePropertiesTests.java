package io.walleye.console;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ConsolePropertiesTests {

	@Test
	void overviewWindowMustFitTheHourOfSamplesKept() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ConsoleProperties(Duration.ofSeconds(5), 0, Duration.ofSeconds(5)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ConsoleProperties(Duration.ofSeconds(5), 61, Duration.ofSeconds(5)));
		assertThat(new ConsoleProperties(Duration.ofSeconds(5), 60, Duration.ofSeconds(5)).overviewMinutes())
			.isEqualTo(60);
	}

	@Test
	void refreshingFasterThanOnceASecondIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ConsoleProperties(Duration.ofMillis(200), 30, Duration.ofSeconds(5)))
			.withMessageContaining("at least 1s");
	}
}
