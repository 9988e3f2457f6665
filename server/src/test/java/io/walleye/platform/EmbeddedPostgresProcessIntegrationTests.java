package io.walleye.platform;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.walleye.support.WalleyeProcess;

import static io.walleye.support.WalleyeProcess.created;
import static io.walleye.support.WalleyeProcess.field;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walleye as separate operating-system processes, started through {@code bin/walleye} with a {@code PATH} whose
 * {@code java} is 17 (the documented machine), killed with signals as an operator or a crash would.
 */
class EmbeddedPostgresProcessIntegrationTests {

	private static final Duration START_TIMEOUT = WalleyeProcess.START_TIMEOUT;

	@Test
	void verifyModeRunsOnJava17MachineWithoutAWebServer(@TempDir Path dir) throws Exception {
		try (ServerSocket port = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			// The server's own port is taken for the whole run: binding it would fail the start.
			WalleyeProcess verify = WalleyeProcess.start(dir, "--walleye.embedded-postgres.data-dir=" + dir.resolve("pg"),
					"--server.port=" + port.getLocalPort(), "--walleye.ledger.verify-and-exit=true");
			assertThat(verify.process().waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			String log = verify.log();
			assertThat(verify.process().exitValue()).as(log).isZero();
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
			WalleyeProcess second = WalleyeProcess.start(dir, "--walleye.embedded-postgres.data-dir=" + dir.resolve("pg"),
					"--server.port=0", "--walleye.embedded-postgres.port=" + taken);
			assertThat(second.process().waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			assertThat(second.process().exitValue()).isNotZero();
			assertThat(second.log()).contains("Port " + taken + " (WALLEYE_EMBEDDED_POSTGRES_PORT) is taken");
		}
	}

	@Test
	void migrateFalseOnAnEmptyDatabaseSaysSo(@TempDir Path dir) throws Exception {
		WalleyeProcess unmigrated = WalleyeProcess.start(dir, "--walleye.embedded-postgres.data-dir=" + dir.resolve("pg"),
				"--server.port=0", "--spring.flyway.enabled=false");
		assertThat(unmigrated.process().waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(unmigrated.process().exitValue()).isNotZero();
		assertThat(unmigrated.log()).contains("WALLEYE_MIGRATE=false, and the database has no Walleye schema")
			.doesNotContain("relation \"operators\" does not exist");
	}

	@Test
	void aReadOnlyDataDirectoryIsRefusedNamingIt(@TempDir Path dir) throws Exception {
		Path mounted = dir.resolve("ro");
		WalleyeProcess refused = WalleyeProcess.start(dir, onTmpfs(mounted, "ro,size=16m"),
				"--walleye.embedded-postgres.data-dir=" + mounted.resolve("pg"), "--server.port=0");
		assertThat(refused.awaitExit()).isNotZero();
		assertThat(refused.log()).contains("APPLICATION FAILED TO START")
			.contains("data directory " + mounted.resolve("pg") + " cannot be written: Read-only file system")
			.doesNotContain("\tat ");
	}

	@Test
	void aFullDiskIsRefusedNamingTheDataDirectory(@TempDir Path dir) throws Exception {
		Path mounted = dir.resolve("full");
		WalleyeProcess refused = WalleyeProcess.start(dir, onTmpfs(mounted, "size=8m"),
				"--walleye.embedded-postgres.data-dir=" + mounted.resolve("pg"), "--server.port=0");
		assertThat(refused.awaitExit()).isNotZero();
		assertThat(refused.log()).contains("APPLICATION FAILED TO START")
			.contains("data directory " + mounted.resolve("pg") + " has ").contains(" MB free; PostgreSQL needs at least 64 MB")
			.doesNotContain("\tat ");
	}

	/**
	 * Runs the process in a mount namespace of its own (no privileges needed) where {@code mountPoint} is a fresh
	 * tmpfs with the given options: a read-only or a small, soon full file system, gone when the process ends.
	 */
	private static List<String> onTmpfs(Path mountPoint, String options) throws Exception {
		Files.createDirectories(mountPoint);
		Assumptions.assumeTrue(new ProcessBuilder("unshare", "-r", "-m", "true").start().waitFor() == 0,
				"user and mount namespaces (unshare -rm) are available");
		return List.of("unshare", "-r", "-m", "sh", "-c",
				"mount -t tmpfs -o " + options + " tmpfs \"$0\" && exec \"$@\"", mountPoint.toString());
	}

	/**
	 * One life of a data directory: a clean first start, a crash of the Java process alone, the next start (which must
	 * clear the orphaned PostgreSQL at once), a second process refused while it lives, and a SIGTERM under load.
	 */
	@Test
	void crashesAndStopsLeaveTheDataDirectoryReadyAndLoseNoRequest(@TempDir Path dir) throws Exception {
		String dataDir = "--walleye.embedded-postgres.data-dir=" + dir.resolve("pg");
		WalleyeProcess first = WalleyeProcess.start(dir, dataDir, "--server.port=0");
		first.awaitStarted();
		assertThat(first.log()).contains("Roles of this process: api, worker, console (walleye.roles=all)");
		assertThat(first.log().lines().filter(line -> line.contains(" WARN ")).toList()).isEmpty();
		first.process().destroyForcibly().waitFor();

		WalleyeProcess second = WalleyeProcess.start(dir, dataDir, "--server.port=0");
		second.awaitStarted();
		assertThat(second.log()).contains("Found an orphaned PostgreSQL").doesNotContain("Gave up waiting");

		WalleyeProcess third = WalleyeProcess.start(dir, dataDir, "--server.port=0");
		assertThat(third.process().waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(third.process().exitValue()).isNotZero();
		assertThat(third.log()).contains("is in use by the Walleye with pid " + second.process().pid());

		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		List<Thread> load = chargeLoad(second, 4, statuses);
		Thread.sleep(3_000);
		long stopAt = System.nanoTime();
		second.process().destroy();
		assertThat(second.process().waitFor(45, TimeUnit.SECONDS)).as("exit within the graceful timeout").isTrue();
		Duration stopping = Duration.ofNanos(System.nanoTime() - stopAt);
		for (Thread thread : load) {
			thread.join(10_000);
		}
		// 143 = 128 + SIGTERM: the JVM's status after its shutdown hooks ran on a TERM signal.
		assertThat(second.process().exitValue()).isEqualTo(143);
		assertThat(statuses).containsKey(201);
		assertThat(statuses.keySet()).allMatch(status -> status < 500, "no 5xx during the stop: " + statuses);
		assertThat(stopping).isLessThan(Duration.ofSeconds(35));
		String log = second.log();
		assertThat(log.indexOf("Embedded PostgreSQL stopped")).isGreaterThan(log.indexOf("Graceful shutdown complete"));
		assertThat(log).doesNotContain("not released on stop");
	}

	/** Threads charging one wallet a cent at a time until the server stops answering; each status is counted. */
	private static List<Thread> chargeLoad(WalleyeProcess server, int threads, Map<Integer, AtomicInteger> statuses)
			throws Exception {
		String base = "http://localhost:" + server.awaitStarted() + "/api/v1";
		HttpClient http = HttpClient.newHttpClient();
		String customer = field(created(http, base + "/customers", null, "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}"), "api_key");
		String business = field(created(http, base + "/businesses", null, "{\"name\":\"Shop\",\"email\":\"shop@example.com\"}"), "api_key");
		String wallet = field(created(http, base + "/wallets", customer, "{\"currency\":\"EUR\"}"), "token");
		created(http, base + "/wallets", business, "{}");
		created(http, base + "/wallets/" + wallet + "/deposits", customer, "{\"amount\":\"10000.00\"}");
		List<Thread> started = new ArrayList<>();
		AtomicInteger invoices = new AtomicInteger();
		for (int i = 0; i < threads; i++) {
			started.add(Thread.ofPlatform().start(() -> {
				while (true) {
					try {
						HttpResponse<String> answer = WalleyeProcess.send(http, "POST", base + "/charges", business,
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
}
