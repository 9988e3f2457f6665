package io.walleye.platform;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walleye as separate operating-system processes, started through {@code bin/walleye} with a {@code PATH} whose
 * {@code java} is 17 (the documented machine), killed with signals as an operator or a crash would.
 */
class EmbeddedPostgresProcessIntegrationTests {

	private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

	private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

	private static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

	@Test
	void verifyModeRunsOnJava17MachineWithoutAWebServer(@TempDir Path dir) throws Exception {
		try (ServerSocket port = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			// The server's own port is taken for the whole run: binding it would fail the start.
			Walleye verify = Walleye.start(dir, "--walleye.embedded-postgres.data-dir=" + dir.resolve("pg"),
					"--server.port=" + port.getLocalPort(), "--walleye.ledger.verify-and-exit=true");
			assertThat(verify.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			String log = verify.log();
			assertThat(verify.process.exitValue()).as(log).isZero();
			assertThat(log).contains("\"mismatches\" : [ ]")
				.contains("Command-line mode (walleye.ledger.verify-and-exit): no web server, no workers")
				.doesNotContain("Tomcat started")
				.doesNotContain("UnsupportedClassVersionError");
		}
	}

	@Test
	void aTakenDatabasePortIsRefusedNamingIt(@TempDir Path dir) throws Exception {
		try (ServerSocket someoneElse = new ServerSocket()) {
			someoneElse.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			int taken = someoneElse.getLocalPort();
			Walleye second = Walleye.start(dir, "--walleye.embedded-postgres.data-dir=" + dir.resolve("pg"),
					"--server.port=0", "--walleye.embedded-postgres.port=" + taken);
			assertThat(second.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			assertThat(second.process.exitValue()).isNotZero();
			assertThat(second.log()).contains("Port " + taken + " (WALLEYE_EMBEDDED_POSTGRES_PORT) is taken");
		}
	}

	@Test
	void migrateFalseOnAnEmptyDatabaseSaysSo(@TempDir Path dir) throws Exception {
		Walleye unmigrated = Walleye.start(dir, "--walleye.embedded-postgres.data-dir=" + dir.resolve("pg"),
				"--server.port=0", "--spring.flyway.enabled=false");
		assertThat(unmigrated.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(unmigrated.process.exitValue()).isNotZero();
		assertThat(unmigrated.log()).contains("WALLEYE_MIGRATE=false, and the database has no Walleye schema")
			.doesNotContain("relation \"operators\" does not exist");
	}

	/**
	 * One life of a data directory: a clean first start, a crash of the Java process alone, the next start (which must
	 * clear the orphaned PostgreSQL at once), a second process refused while it lives, and a SIGTERM under load.
	 */
	@Test
	void crashesAndStopsLeaveTheDataDirectoryReadyAndLoseNoRequest(@TempDir Path dir) throws Exception {
		String dataDir = "--walleye.embedded-postgres.data-dir=" + dir.resolve("pg");
		Walleye first = Walleye.start(dir, dataDir, "--server.port=0");
		first.awaitStarted();
		assertThat(first.log()).contains("Roles of this process: api, worker, console (walleye.roles=all)");
		assertThat(first.log().lines().filter(line -> line.contains(" WARN ")).toList()).isEmpty();
		first.process.destroyForcibly().waitFor();

		Walleye second = Walleye.start(dir, dataDir, "--server.port=0");
		second.awaitStarted();
		assertThat(second.log()).contains("Found an orphaned PostgreSQL").doesNotContain("Gave up waiting");

		Walleye third = Walleye.start(dir, dataDir, "--server.port=0");
		assertThat(third.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(third.process.exitValue()).isNotZero();
		assertThat(third.log()).contains("is in use by the Walleye with pid " + second.process.pid());

		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		List<Thread> load = second.chargeLoad(4, statuses);
		Thread.sleep(3_000);
		long stopAt = System.nanoTime();
		second.process.destroy();
		assertThat(second.process.waitFor(45, TimeUnit.SECONDS)).as("exit within the graceful timeout").isTrue();
		Duration stopping = Duration.ofNanos(System.nanoTime() - stopAt);
		for (Thread thread : load) {
			thread.join(10_000);
		}
		// 143 = 128 + SIGTERM: the JVM's status after its shutdown hooks ran on a TERM signal.
		assertThat(second.process.exitValue()).isEqualTo(143);
		assertThat(statuses).containsKey(201);
		assertThat(statuses.keySet()).allMatch(status -> status < 500, "no 5xx during the stop: " + statuses);
		assertThat(stopping).isLessThan(Duration.ofSeconds(35));
		String log = second.log();
		assertThat(log.indexOf("Embedded PostgreSQL stopped")).isGreaterThan(log.indexOf("Graceful shutdown complete"));
		assertThat(log).doesNotContain("not released on stop");
	}

	/** A Walleye process started through the launcher, its output in a file. */
	private record Walleye(Process process, Path output) {

		static Walleye start(Path dir, String... settings) throws IOException {
			List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/walleye").toString(), "java", "-cp",
					System.getProperty("java.class.path"), "io.walleye.WalleyeApplication"));
			command.addAll(List.of(settings));
			Path output = Files.createTempFile(dir, "walleye-", ".log");
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile());
			Map<String, String> environment = builder.environment();
			// The documented machine: the PATH's java and JAVA_HOME are 17; the launcher must find a newer JDK itself.
			environment.put("PATH", JAVA_17.resolve("bin") + ":/usr/bin:/bin");
			environment.put("JAVA_HOME", JAVA_17.toString());
			environment.put("WALLEYE_ADMIN_PASSWORD", "process-test-password");
			return new Walleye(builder.start(), output);
		}

		String log() throws IOException {
			return Files.readString(output, StandardCharsets.UTF_8);
		}

		int awaitStarted() throws Exception {
			long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
			Pattern started = Pattern.compile("Tomcat started on port (\\d+)");
			while (System.nanoTime() < deadline) {
				String log = log();
				Matcher port = started.matcher(log);
				if (log.contains("Started WalleyeApplication") && port.find()) {
					return Integer.parseInt(port.group(1));
				}
				assertThat(process.isAlive()).as(log).isTrue();
				Thread.sleep(250);
			}
			throw new AssertionError("Not started within " + START_TIMEOUT + ":\n" + log());
		}

		/** Threads charging one wallet a cent at a time until the server stops answering; each status is counted. */
		List<Thread> chargeLoad(int threads, Map<Integer, AtomicInteger> statuses) throws Exception {
			String base = "http://localhost:" + awaitStarted() + "/api/v1";
			HttpClient http = HttpClient.newHttpClient();
			String customer = field(post(http, base + "/customers", null, "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}"), "api_key");
			String business = field(post(http, base + "/businesses", null, "{\"name\":\"Shop\",\"email\":\"shop@example.com\"}"), "api_key");
			String wallet = field(post(http, base + "/wallets", customer, "{\"currency\":\"EUR\"}"), "token");
			post(http, base + "/wallets", business, "{}");
			post(http, base + "/wallets/" + wallet + "/deposits", customer, "{\"amount\":\"10000.00\"}");
			List<Thread> started = new ArrayList<>();
			AtomicInteger invoices = new AtomicInteger();
			for (int i = 0; i < threads; i++) {
				started.add(Thread.ofPlatform().start(() -> {
					while (true) {
						try {
							HttpResponse<String> answer = send(http, base + "/charges", business,
									"{\"wallet_token\":\"" + wallet + "\",\"amount\":\"0.01\",\"invoice\":\"INV-"
											+ invoices.incrementAndGet() + "\"}");
							statuses.computeIfAbsent(answer.statusCode(), status -> new AtomicInteger()).incrementAndGet();
						}
						catch (ConnectException ex) {
							return;
						}
						catch (IOException ex) {
							// A connection closed by the stopping server between requests: the next one finds out.
						}
						catch (InterruptedException ex) {
							return;
						}
					}
				}));
			}
			return started;
		}

		private static String post(HttpClient http, String url, String key, String body) throws Exception {
			HttpResponse<String> answer = send(http, url, key, body);
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
			return answer.body();
		}

		private static HttpResponse<String> send(HttpClient http, String url, String key, String body)
				throws IOException, InterruptedException {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
				.header("Content-Type", "application/json")
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofString(body));
			if (key != null) {
				request.header("Authorization", "Bearer " + key);
			}
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}

		private static String field(String json, String name) {
			Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
			assertThat(value.find()).as(json).isTrue();
			return value.group(1);
		}
	}
}
