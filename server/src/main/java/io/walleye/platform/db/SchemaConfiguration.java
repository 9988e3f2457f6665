package io.walleye.platform.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.walleye.platform.StartupRefused;

/** The schema at start: migrated in order, out of order only where an older database needs it, or checked present. */
@Configuration(proxyBeanMethods = false)
class SchemaConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SchemaConfiguration.class);

	/**
	 * Each module numbers its migrations in its own range (identity 1.x, wallet 2.x, …), so a module's new migration
	 * can sort below what a database already has. Flyway then needs {@code outOfOrder}, and warns whenever it is on;
	 * it is switched on only for a database that has such a migration pending.
	 */
	@Bean
	FlywayMigrationStrategy flywayMigrationStrategy() {
		return flyway -> {
			MigrationInfo[] below = Arrays.stream(flyway.info().all())
				.filter(migration -> migration.getState() == MigrationState.IGNORED)
				.toArray(MigrationInfo[]::new);
			if (below.length == 0) {
				flyway.migrate();
				return;
			}
			log.info("Applying {} migration(s) numbered below this database's latest (a module's newer migration): {}",
					below.length, Arrays.stream(below).map(MigrationInfo::getScript).toList());
			Flyway.configure(flyway.getConfiguration().getClassLoader())
				.configuration(flyway.getConfiguration())
				.outOfOrder(true)
				.load()
				.migrate();
		};
	}

	/**
	 * Without migrations at start, an empty database would fail later on the first missing table; say what is wrong
	 * before anything uses it.
	 */
	@Bean
	@ConditionalOnBooleanProperty(name = "spring.flyway.enabled", havingValue = false)
	static BeanPostProcessor schemaPresenceCheck() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof DataSource dataSource) {
					requireSchema(dataSource);
				}
				return bean;
			}
		};
	}

	private static void requireSchema(DataSource dataSource) {
		boolean migrated;
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select to_regclass('flyway_schema_history') is not null")) {
			result.next();
			migrated = result.getBoolean(1);
		}
		catch (SQLException ex) {
			// An unreachable database is reported by the pool and the health check, not here.
			return;
		}
		if (!migrated) {
			throw new StartupRefused(
					"WALLEYE_MIGRATE=false, and the database has no Walleye schema (no flyway_schema_history table).",
					"Start once with WALLEYE_MIGRATE=true (the default), or run the migrations in "
							+ "server/src/main/resources/db/migration with Flyway before starting.");
		}
	}
}
