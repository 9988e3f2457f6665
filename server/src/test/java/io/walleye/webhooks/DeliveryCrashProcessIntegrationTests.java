package io.walleye.webhooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.support.TestApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker process killed with SIGKILL in the middle of a delivery: a second worker process delivers the event again
 * (same webhook-id) once the first one's lease has run out, and the lost attempt shows in the delivery's attempts.
 */
class DeliveryCrashProcessIntegrationTests {

	private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

	private static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void aDeliveryCutShortByAKilledWorkerIsDeliveredByAnother(@TempDir Path dir) throws Exception {
		try (EmbeddedPostgres database = EmbeddedPostgres.builder().start(); Receiver receiver = new Receiver(0, 200)) {
			String url = "postgres://postgres:unused@localhost:" + database.getPort() + "/postgres";
			Process first = start(dir, "first", "--DATABASE_URL=" + url);
			String base = "http://localhost:" + awaitStarted(first, dir.resolve("first.log")) + "/api/v1";
			String key = field(post(base + "/customers", null, "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}"), "api_key");
			String wallet = field(post(base + "/wallets", key, "{\"currency\":\"EUR\"}"), "token");
			post(base + "/webhook-endpoints", key, "{\"url\":\"" + receiver.url() + "\"}");
			post(base + "/wallets/" + wallet + "/deposits", key, "{\"amount\":\"10.00\"}");

			Receiver.Request cutShort = receiver.next();
			first.destroyForcibly().waitFor();

			Process second = start(dir, "second", "--DATABASE_URL=" + url, "--walleye.roles=worker",
					"--spring.flyway.enabled=false");
			try {
				// the second process's start (a minute on a busy machine) plus the lease
				Receiver.Request again = receiver.next(Duration.ofMinutes(3));
				assertThat(again.id()).isEqualTo(cutShort.id());
				assertThat(again.body()).isEqualTo(cutShort.body());
				JdbcClient jdbc = JdbcClient.create(database.getPostgresDatabase());
				String status = null;
				for (int i = 0; i < 100 && !"delivered".equals(status); i++) {
					Thread.sleep(100);
					status = jdbc.sql("select status from webhook_deliveries").query(String.class).single();
				}
				assertThat(status).isEqualTo("delivered");
				List<String> errors = jdbc.sql("select coalesce(error, status_code::text) from webhook_attempts order by attempt")
					.query(String.class)
					.list();
				assertThat(errors).hasSize(2);
				assertThat(errors.get(0)).contains("the worker stopped during this attempt");
				assertThat(errors.get(1)).isEqualTo("200");
			}
			finally {
				second.destroy();
				second.waitFor();
			}
		}
	}

	private static Process start(Path dir, String name, String... settings) throws Exception {
		List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/walleye").toString(), "java", "-cp",
				System.getProperty("java.class.path"), "io.walleye.WalleyeApplication", "--server.port=0",
				"--walleye.webhooks.allow-http=true", "--walleye.webhooks.allow-private=true",
				"--walleye.webhooks.timeout=5s", "--walleye.webhooks.lease=6s"));
		command.addAll(List.of(settings));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(dir.resolve(name + ".log").toFile());
		Map<String, String> environment = builder.environment();
		environment.put("PATH", JAVA_17.resolve("bin") + ":/usr/bin:/bin");
		environment.put("JAVA_HOME", JAVA_17.toString());
		environment.put("WALLEYE_ADMIN_PASSWORD", "process-test-password");
		return builder.start();
	}

	private static int awaitStarted(Process process, Path log) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
		Pattern started = Pattern.compile("Tomcat started on port (\\d+)");
		while (System.nanoTime() < deadline) {
			String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
			Matcher port = started.matcher(text);
			if (text.contains("Started WalleyeApplication") && port.find()) {
				return Integer.parseInt(port.group(1));
			}
			assertThat(process.isAlive()).as(text).isTrue();
			Thread.sleep(250);
		}
		throw new AssertionError("not started: " + Files.readString(log));
	}

	private String post(String url, String key, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
		return answer.body();
	}

	private static String field(String json, String name) {
		return TestApi.json().readTree(json).get(name).asString();
	}
}
