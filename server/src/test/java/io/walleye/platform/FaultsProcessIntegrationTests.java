package io.walleye.platform;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.walleye.etl.FakeGitHub;
import io.walleye.support.WalleyeProcess;

import static io.walleye.support.WalleyeProcess.created;
import static io.walleye.support.WalleyeProcess.field;
import static io.walleye.support.WalleyeProcess.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults with real processes, during mixed load from threads of this test talking HTTP to a Walleye started as its
 * own process: the embedded PostgreSQL paused with SIGSTOP while serving, the Java process killed with
 * {@code kill -9} alone, then together with its PostgreSQL. Afterwards every acknowledged operation and event is there
 * exactly once and the ledger verifies.
 */
class FaultsProcessIntegrationTests {

	/**
	 * Deadlines shorter than the defaults (5 s, 10 s, 3 s), so that a 10 s outage outlasts them: a request's longest
	 * wait is connection 2 s + statement 2 s + the driver's 5 s margin.
	 */
	private static final String[] TIMEOUTS = { "--walleye.db.connection-timeout=2s",
			"--walleye.db.statement-timeout=2s", "--walleye.db.lock-timeout=1s" };

	private static final Duration DEADLINE = Duration.ofSeconds(9);

	/** What a client allows on top of the deadline: the HTTP round trip on a machine busy with the test itself. */
	private static final Duration SLACK = Duration.ofSeconds(10);

	@Test
	void crashesAndAnOutageUnderLoadLoseNothingAcknowledgedAndHealWithoutARestart(@TempDir Path dir) throws Exception {
		Path data = dir.resolve("pg");
		Path backup = dir.resolve("backup");
		int port;
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = free.getLocalPort();
		}
		// An ETL run long enough to live through the outage and the crashes: 30 pages, 200 ms each.
		FakeGitHub github = FakeGitHub.start(0);
		github.org("acme", 3000);
		github.slowPages("acme", Duration.ofMillis(200));
		String[] settings = { "--walleye.embedded-postgres.data-dir=" + data, "--server.port=" + port, TIMEOUTS[0],
				TIMEOUTS[1], TIMEOUTS[2], "--walleye.etl.github-api-url=" + github.url(), "--walleye.etl.lease=5s" };
		String base = "http://localhost:" + port;

		long firstStart = System.nanoTime();
		WalleyeProcess first = WalleyeProcess.start(dir, settings);
		first.awaitStarted();
		Duration normalStart = Duration.ofNanos(System.nanoTime() - firstStart);
		Load load = Load.setUp(base);
		HttpResponse<String> run = send(load.http, "POST", base + "/api/v1/etl/runs", load.adminToken,
				"{\"source\":{\"org\":\"acme\"}}");
		assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
		String runId = field(run.body(), "id");
		load.start();
		load.runFor(Duration.ofSeconds(3));

		// (b) PostgreSQL stops answering while serving; requests answer 503 within their deadline, readiness goes
		// DOWN and comes back UP, and the same process serves again.
		List<ProcessHandle> postgres = postgresProcesses(data);
		signal("STOP", postgres);
		long outageStart = System.nanoTime();
		load.outage.set(true);
		boolean down = false;
		try {
			while (System.nanoTime() - outageStart < Duration.ofSeconds(10).toNanos()) {
				down |= readiness(load.http, base) == 503;
				Thread.sleep(500);
			}
		}
		finally {
			signal("CONT", postgres);
		}
		load.outage.set(false);
		assertThat(down).as("readiness DOWN during the outage").isTrue();
		awaitReady(load.http, base);
		long servedBefore = load.accepted();
		load.runFor(Duration.ofSeconds(3));
		assertThat(load.accepted()).as("served again without a restart").isGreaterThan(servedBefore);
		assertThat(load.outageAnswers).as("the outage was met with 503s").containsKey(503);
		assertThat(load.outageCodes.keySet()).isSubsetOf(Set.of("database_unavailable", "database_timeout",
				"charge_not_confirmed", "idempotency_in_flight"));
		assertThat(Duration.ofNanos(load.slowest.get())).as("no request waited past its deadline")
			.isLessThan(DEADLINE.plus(SLACK));

		// (a) kill -9 of the Java process alone: its PostgreSQL lives on; the next start stops it, in one log line.
		first.process().destroyForcibly().waitFor();
		load.runFor(Duration.ofMillis(500));
		long secondStart = System.nanoTime();
		WalleyeProcess second = WalleyeProcess.start(dir, settings);
		second.awaitStarted();
		Duration afterCrash = Duration.ofNanos(System.nanoTime() - secondStart);
		assertThat(second.log().lines().filter(line -> line.contains("orphaned PostgreSQL")).count()).isEqualTo(1);
		assertThat(second.log()).doesNotContain("Gave up waiting");
		// As fast as a normal start (with room for a busy machine), not a 60 s wait for a port that never frees.
		assertThat(afterCrash).isLessThan(normalStart.multipliedBy(2).plusSeconds(20));
		load.runFor(Duration.ofSeconds(3));

		// (a) kill -9 of the Java process and its PostgreSQL together, as when the machine dies.
		List<ProcessHandle> secondPostgres = postgresProcesses(data);
		second.process().destroyForcibly();
		signal("KILL", secondPostgres.subList(0, 1));
		second.process().waitFor();
		load.runFor(Duration.ofMillis(500));
		WalleyeProcess third = WalleyeProcess.start(dir, settings);
		try {
			third.awaitStarted();
			assertThat(third.log()).contains("Removed a stale lock file");
			load.runFor(Duration.ofSeconds(1));
			// An online backup while the load goes on, restored below.
			WalleyeProcess backingUp = WalleyeProcess.start(dir, "backup", backup.toString(),
					"--walleye.embedded-postgres.data-dir=" + data);
			assertThat(backingUp.awaitExit()).as(backingUp.log()).isZero();
			assertThat(backingUp.log()).contains("Backed up " + data + " into " + backup);
			load.runFor(Duration.ofSeconds(1));
			load.stop();
			load.settleUnknownCharges();

			assertThat(load.answers.keySet()).as("never a 500: " + load.answers).allMatch(status -> status < 500 || status == 503);
			try (Connection db = DriverManager.getConnection(
					"jdbc:postgresql://localhost:" + pidFileLine(data, 3) + "/postgres", "postgres", "")) {
				assertThat(count(db, "select count(*) from operations where id = any(?) and status = 'accepted'",
						load.acceptedOperations)).as("every 201 is there exactly once").isEqualTo(load.acceptedOperations.size());
				assertThat(count(db, """
						select count(*) from (select business_id, invoice from operations
						where type = 'charge' and status = 'accepted' group by 1, 2 having count(*) > 1) twice
						""", Set.of())).as("no invoice charged twice").isZero();
				awaitIntakeDrained(db);
				assertThat(count(db, "select count(*) from eye_events where id = any(?)", load.acceptedEvents)
						+ count(db, "select count(*) from eye_failed_events where id = any(?)", load.acceptedEvents))
					.as("every accepted event ends valid or failed exactly once")
					.isEqualTo(load.acceptedEvents.size());
			}
			try {
				awaitRunSucceeded(load, base + "/api/v1/etl/runs/" + runId);
			}
			catch (AssertionError failed) {
				StringBuilder etl = new StringBuilder(failed.getMessage()).append("\nThe processes' ETL lines:\n");
				for (WalleyeProcess process : List.of(first, second, third)) {
					process.log().lines().filter(line -> line.contains("ETL") || line.contains("etl"))
						.forEach(line -> etl.append(line).append('\n'));
				}
				throw new AssertionError(etl.toString(), failed);
			}
			assertThat(send(load.http, "GET", base + "/api/v1/repositories/count", load.adminToken, null).body())
				.as("the ETL run resumed from its checkpoints and loaded every repository once").contains("\"count\":3000");
			HttpResponse<String> verify = send(load.http, "GET", base + "/api/v1/admin/ledger/verify", load.adminToken,
					null);
			assertThat(verify.statusCode()).isEqualTo(200);
			assertThat(verify.body()).contains("\"mismatches\":[]");
		}
		finally {
			load.stop();
			third.process().destroy();
			third.process().waitFor(60, TimeUnit.SECONDS);
			keepLogs(first, second, third);
			github.close();
		}
		// Restore: a server started on the backup replays its WAL and finds the books balanced.
		WalleyeProcess restored = WalleyeProcess.start(dir, "--walleye.embedded-postgres.data-dir=" + backup,
				"--server.port=0", "--walleye.ledger.verify-and-exit=true");
		assertThat(restored.awaitExit()).as(restored.log()).isZero();
		assertThat(restored.log()).contains("\"mismatches\" : [ ]").doesNotContain("\"wallets_checked\" : 0,");
	}

	/** The servers' logs outlive the temporary directory, for a failure to be read after the run. */
	private static void keepLogs(WalleyeProcess... servers) throws IOException {
		Path kept = Files.createDirectories(Path.of("target", "process-logs"));
		for (int i = 0; i < servers.length; i++) {
			Files.copy(servers[i].output(), kept.resolve("faults-" + (i + 1) + ".log"),
					java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private static int readiness(HttpClient http, String base) {
		try {
			return send(http, "GET", base + "/actuator/health/readiness", null, null).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private static void awaitReady(HttpClient http, String base) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (readiness(http, base) != 200) {
			assertThat(System.nanoTime()).as("readiness back UP").isLessThan(deadline);
			Thread.sleep(250);
		}
	}

	private static void awaitRunSucceeded(Load load, String url) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (true) {
			String body = send(load.http, "GET", url, load.adminToken, null).body();
			String status = field(body, "status");
			if (status.equals("succeeded")) {
				return;
			}
			assertThat(status).as(body).isIn("queued", "running");
			assertThat(System.nanoTime()).as("the ETL run finishes after the faults").isLessThan(deadline);
			Thread.sleep(500);
		}
	}

	private static void awaitIntakeDrained(Connection db) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (count(db, "select count(*) from eye_intake", Set.of()) > 0) {
			assertThat(System.nanoTime()).as("the worker files every accepted event").isLessThan(deadline);
			Thread.sleep(250);
		}
	}

	private static long count(Connection db, String sql, Set<UUID> ids) throws Exception {
		try (PreparedStatement statement = db.prepareStatement(sql)) {
			if (sql.contains("?")) {
				statement.setArray(1, db.createArrayOf("uuid", ids.toArray()));
			}
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	private static String pidFileLine(Path data, int line) throws IOException {
		return Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.US_ASCII).get(line).trim();
	}

	/** The postmaster first, then its backends and helpers. */
	private static List<ProcessHandle> postgresProcesses(Path data) throws IOException {
		ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(pidFileLine(data, 0))).orElseThrow();
		List<ProcessHandle> all = new ArrayList<>();
		all.add(postmaster);
		postmaster.descendants().forEach(all::add);
		return all;
	}

	private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
		List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
		processes.forEach(process -> command.add(String.valueOf(process.pid())));
		new ProcessBuilder(command).inheritIO().start().waitFor();
	}

	/**
	 * Mixed load: charges with and without an Idempotency-Key, refunds, deposits and event batches, each thread
	 * looping until stopped, across restarts (the port stays). Every acknowledged id is recorded.
	 */
	private static final class Load {

		final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

		final String base;

		final String adminToken;

		final String applicationKey;

		final List<String> businesses;

		final List<String[]> customers;

		final Set<UUID> acceptedOperations = ConcurrentHashMap.newKeySet();

		final Set<UUID> acceptedEvents = ConcurrentHashMap.newKeySet();

		final Map<UUID, String> chargesByBusiness = new ConcurrentHashMap<>();

		/** Keyed charges whose answer was lost (a killed server, an unconfirmed charge): retried with their key. */
		final Map<String, String[]> unknown = new ConcurrentHashMap<>();

		final Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();

		final Map<Integer, AtomicInteger> outageAnswers = new ConcurrentHashMap<>();

		final Map<String, AtomicInteger> outageCodes = new ConcurrentHashMap<>();

		final java.util.concurrent.atomic.AtomicBoolean outage = new java.util.concurrent.atomic.AtomicBoolean();

		final AtomicLong slowest = new AtomicLong();

		final AtomicInteger sequence = new AtomicInteger();

		final List<Thread> threads = new ArrayList<>();

		volatile boolean running;

		private Load(String base, String adminToken, String applicationKey, List<String> businesses,
				List<String[]> customers) {
			this.base = base + "/api/v1";
			this.adminToken = adminToken;
			this.applicationKey = applicationKey;
			this.businesses = businesses;
			this.customers = customers;
		}

		static Load setUp(String base) throws Exception {
			HttpClient http = HttpClient.newHttpClient();
			String api = base + "/api/v1";
			String admin = field(send(http, "POST", api + "/auth/login", null, "{\"username\":\"admin\",\"password\":\""
					+ WalleyeProcess.ADMIN_PASSWORD + "\"}").body(), "access_token");
			String app = field(created(http, api + "/applications", admin, "{\"name\":\"faults.example\"}"), "api_key");
			List<String> businesses = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				String key = field(created(http, api + "/businesses", null,
						"{\"name\":\"Shop " + i + "\",\"email\":\"shop" + i + "@example.com\"}"), "api_key");
				created(http, api + "/wallets", key, "{}");
				businesses.add(key);
			}
			List<String[]> customers = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				String key = field(created(http, api + "/customers", null,
						"{\"name\":\"Customer " + i + "\",\"email\":\"c" + i + "@example.com\"}"), "api_key");
				String wallet = field(created(http, api + "/wallets", key, "{\"currency\":\"EUR\"}"), "token");
				created(http, api + "/wallets/" + wallet + "/deposits", key, "{\"amount\":\"100000.00\"}");
				customers.add(new String[] { key, wallet });
			}
			return new Load(base, admin, app, businesses, customers);
		}

		void start() {
			running = true;
			for (int i = 0; i < 3; i++) {
				threads.add(Thread.ofPlatform().start(() -> loop(this::charge)));
			}
			threads.add(Thread.ofPlatform().start(() -> loop(this::refund)));
			threads.add(Thread.ofPlatform().start(() -> loop(this::deposit)));
			threads.add(Thread.ofPlatform().start(() -> loop(this::events)));
		}

		void runFor(Duration duration) throws InterruptedException {
			Thread.sleep(duration.toMillis());
		}

		long accepted() {
			return acceptedOperations.size() + acceptedEvents.size();
		}

		void stop() throws InterruptedException {
			running = false;
			for (Thread thread : threads) {
				thread.join(DEADLINE.plus(SLACK).toMillis());
			}
		}

		interface Step {
			void run() throws Exception;
		}

		private void loop(Step step) {
			while (running) {
				try {
					step.run();
				}
				catch (ConnectException | HttpTimeoutException ex) {
					pause();
				}
				catch (IOException ex) {
					// the server died mid-request: the answer is lost, which the steps account for
					pause();
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		}

		private static void pause() {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private HttpResponse<String> call(String method, String path, String key, String body, String... headers)
				throws IOException, InterruptedException {
			boolean duringOutage = outage.get();
			long start = System.nanoTime();
			HttpResponse<String> answer = send(http, method, base + path, key, body, headers);
			slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
			answers.computeIfAbsent(answer.statusCode(), status -> new AtomicInteger()).incrementAndGet();
			if (duringOutage) {
				outageAnswers.computeIfAbsent(answer.statusCode(), status -> new AtomicInteger()).incrementAndGet();
				if (answer.statusCode() >= 500) {
					outageCodes.computeIfAbsent(field(answer.body(), "code"), code -> new AtomicInteger())
						.incrementAndGet();
				}
			}
			return answer;
		}

		private void charge() throws Exception {
			int n = sequence.incrementAndGet();
			String business = businesses.get(n % businesses.size());
			String wallet = customers.get(ThreadLocalRandom.current().nextInt(customers.size()))[1];
			String body = "{\"wallet_token\":\"" + wallet + "\",\"amount\":\"0.10\",\"invoice\":\"INV-" + n + "\"}";
			boolean keyed = n % 2 == 0;
			String key = "charge-" + n;
			if (keyed) {
				unknown.put(key, new String[] { business, body });
			}
			HttpResponse<String> answer = keyed ? call("POST", "/charges", business, body, "Idempotency-Key", key)
					: call("POST", "/charges", business, body);
			if (answer.statusCode() == 201) {
				UUID id = UUID.fromString(field(answer.body(), "id"));
				acceptedOperations.add(id);
				chargesByBusiness.put(id, business);
			}
			if (keyed && answer.statusCode() != 503) {
				unknown.remove(key);
			}
		}

		private void refund() throws Exception {
			var charge = chargesByBusiness.entrySet().stream().findAny();
			if (charge.isEmpty()) {
				Thread.sleep(50);
				return;
			}
			chargesByBusiness.remove(charge.get().getKey());
			HttpResponse<String> answer = call("POST", "/charges/" + charge.get().getKey() + "/refunds",
					charge.get().getValue(), "{\"amount\":\"0.05\"}");
			if (answer.statusCode() == 201) {
				acceptedOperations.add(UUID.fromString(field(answer.body(), "id")));
			}
		}

		private void deposit() throws Exception {
			String[] customer = customers.get(ThreadLocalRandom.current().nextInt(customers.size()));
			HttpResponse<String> answer = call("POST", "/wallets/" + customer[1] + "/deposits", customer[0],
					"{\"amount\":\"1.00\"}");
			if (answer.statusCode() == 201) {
				acceptedOperations.add(UUID.fromString(field(answer.body(), "id")));
			}
		}

		private void events() throws Exception {
			StringBuilder batch = new StringBuilder("[");
			String session = UUID.randomUUID().toString();
			for (int i = 0; i < 10; i++) {
				batch.append(i == 0 ? "" : ",")
					.append("{\"session_id\":\"").append(session)
					.append("\",\"category\":\"page interaction\",\"name\":\"pageview\",")
					.append("\"timestamp\":\"2026-01-01 09:15:27\",\"data\":{\"host\":\"faults.example\",\"n\":")
					.append(i).append("}}");
			}
			HttpResponse<String> answer = call("POST", "/events", applicationKey, batch.append(']').toString());
			if (answer.statusCode() == 202) {
				Matcher ids = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
					.matcher(answer.body());
				while (ids.find()) {
					acceptedEvents.add(UUID.fromString(ids.group()));
				}
			}
		}

		/** The keyed charges whose answer was lost, sent again with their key: the first outcome or a fresh one. */
		void settleUnknownCharges() throws Exception {
			for (var entry : unknown.entrySet()) {
				HttpResponse<String> answer = call("POST", "/charges", entry.getValue()[0], entry.getValue()[1],
						"Idempotency-Key", entry.getKey());
				assertThat(answer.statusCode()).as(answer.body()).isIn(201, 402);
				if (answer.statusCode() == 201) {
					acceptedOperations.add(UUID.fromString(field(answer.body(), "id")));
				}
			}
		}
	}
}
