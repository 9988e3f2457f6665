package io.walleye.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.WalleyeApplication;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole processes started and stopped as an operator would: restarts, external databases, roles. */
class ProcessIntegrationTests {

	/**
	 * Settings go in as command-line arguments, as an operator would pass them: builder "properties" are only defaults,
	 * which application.yml (e.g. {@code server.port: ${PORT:8080}}) would override.
	 */
	private static ConfigurableApplicationContext start(String... settings) {
		String[] args = new String[settings.length + 1];
		args[0] = "--server.port=0";
		for (int i = 0; i < settings.length; i++) {
			args[i + 1] = "--" + settings[i];
		}
		return new SpringApplicationBuilder(WalleyeApplication.class).run(args);
	}

	@Test
	void embeddedDataSurvivesARestart(@TempDir Path dataDir) {
		String marker = "survivor-" + UUID.randomUUID();
		try (var first = start("walleye.embedded-postgres.data-dir=" + dataDir)) {
			first.getBean(JdbcClient.class)
				.sql("insert into operators (id, username, password_hash, created_at) values (:id, :name, 'x', now())")
				.param("id", UUID.randomUUID())
				.param("name", marker)
				.update();
		}
		assertThat(Files.exists(dataDir.resolve("PG_VERSION"))).isTrue();
		try (var second = start("walleye.embedded-postgres.data-dir=" + dataDir)) {
			Long count = second.getBean(JdbcClient.class)
				.sql("select count(*) from operators where username = :name")
				.param("name", marker)
				.query(Long.class)
				.single();
			assertThat(count).isEqualTo(1);
		}
	}

	@Test
	void databaseUrlPointsAtAnExternalPostgres() throws Exception {
		try (EmbeddedPostgres external = EmbeddedPostgres.builder().start()) {
			String url = "postgres://postgres:unused@localhost:" + external.getPort() + "/postgres";
			try (var app = start("DATABASE_URL=" + url)) {
				assertThat(app.containsBean("embeddedPostgres")).isFalse();
				Long operators = JdbcClient.create(external.getPostgresDatabase())
					.sql("select count(*) from operators where username = 'admin'")
					.query(Long.class)
					.single();
				assertThat(operators).isEqualTo(1);
			}
		}
	}

	@Test
	void workerRoleServesNoApi(@TempDir Path dataDir) throws Exception {
		try (var worker = start("walleye.embedded-postgres.data-dir=" + dataDir, "walleye.roles=worker")) {
			int port = ((WebServerApplicationContext) worker).getWebServer().getPort();
			var client = java.net.http.HttpClient.newHttpClient();
			var login = client.send(
					java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/v1/auth/login"))
						.header("Content-Type", "application/json")
						.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":\"a\",\"password\":\"b\"}"))
						.build(),
					java.net.http.HttpResponse.BodyHandlers.ofString());
			// No API in a worker: the login endpoint does not exist there, so no token can be had.
			assertThat(login.statusCode()).isEqualTo(404);
			assertThat(login.body()).doesNotContain("access_token");
			var health = client.send(
					java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/actuator/health"))
						.build(),
					java.net.http.HttpResponse.BodyHandlers.ofString());
			assertThat(health.statusCode()).isEqualTo(200);
		}
	}
}
