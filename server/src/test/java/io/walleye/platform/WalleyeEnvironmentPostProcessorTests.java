package io.walleye.platform;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WalleyeEnvironmentPostProcessorTests {

	@Test
	void databaseUrlBecomesDatasourceProperties() {
		assertThat(WalleyeEnvironmentPostProcessor.datasourceProperties("postgres://walleye:s%40cret@db.internal:6543/ledger?sslmode=require"))
			.containsEntry("spring.datasource.url", "jdbc:postgresql://db.internal:6543/ledger?sslmode=require")
			.containsEntry("spring.datasource.username", "walleye")
			.containsEntry("spring.datasource.password", "s@cret");
	}

	@Test
	void portDefaultsTo5432() {
		assertThat(WalleyeEnvironmentPostProcessor.datasourceProperties("postgresql://u@h/db"))
			.containsEntry("spring.datasource.url", "jdbc:postgresql://h:5432/db");
	}

	@Test
	void otherSchemesAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WalleyeEnvironmentPostProcessor.datasourceProperties("mysql://u:p@h/db"));
	}

	@Test
	void explicitDatasourceUrlWins() {
		MockEnvironment environment = new MockEnvironment().withProperty("DATABASE_URL", "postgres://u:p@h/db")
			.withProperty("spring.datasource.url", "jdbc:postgresql://other/db");
		new WalleyeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://other/db");
	}

	@Test
	void jsonLogFormatSelectsStructuredLogging() {
		MockEnvironment environment = new MockEnvironment().withProperty("LOG_FORMAT", "json");
		new WalleyeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("ecs");
	}
}
