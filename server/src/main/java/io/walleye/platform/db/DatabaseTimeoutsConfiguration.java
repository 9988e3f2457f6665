package io.walleye.platform.db;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.walleye.platform.DatabaseTimeouts;

/**
 * Puts {@link DatabaseTimeouts} on the connection pool, embedded or external: PostgreSQL's statement and lock timeouts
 * as session defaults of every connection (the driver's {@code options}), and the driver's own socket and login
 * timeouts for a server too stopped to enforce them. A {@code DATABASE_URL} that sets {@code options} itself wins.
 * Migrations run under the same timeouts (a session {@code SET} would stay on the pooled connection Flyway returns):
 * a migration that needs longer says so itself with {@code set local statement_timeout}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseTimeouts.class)
class DatabaseTimeoutsConfiguration {

	/** Static and bound from the environment: it must reach the pool before the first connection is taken. */
	@Bean
	static BeanPostProcessor databaseTimeoutsOnThePool(Environment environment) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof HikariDataSource pool) {
					apply(Binder.get(environment).bindOrCreate("walleye.db", DatabaseTimeouts.class), pool);
				}
				return bean;
			}
		};
	}

	static void apply(DatabaseTimeouts timeouts, HikariDataSource pool) {
		pool.setConnectionTimeout(timeouts.connectionTimeout().toMillis());
		pool.addDataSourceProperty("options", "-c statement_timeout=" + timeouts.statementTimeout().toMillis()
				+ " -c lock_timeout=" + timeouts.lockTimeout().toMillis());
		pool.addDataSourceProperty("socketTimeout", String.valueOf(seconds(timeouts.socketTimeout().toMillis())));
		pool.addDataSourceProperty("loginTimeout", String.valueOf(seconds(timeouts.connectionTimeout().toMillis())));
		pool.addDataSourceProperty("connectTimeout", String.valueOf(seconds(timeouts.connectionTimeout().toMillis())));
	}

	/** The driver counts in whole seconds; round up so that a short timeout does not become 0, which means none. */
	private static long seconds(long millis) {
		return millis == 0 ? 0 : Math.max(1, (millis + 999) / 1000);
	}
}
