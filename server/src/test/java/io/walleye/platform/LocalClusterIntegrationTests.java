package io.walleye.platform;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.walleye.support.WalleyeProcess;

import static io.walleye.support.WalleyeProcess.created;
import static io.walleye.support.WalleyeProcess.field;
import static io.walleye.support.WalleyeProcess.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/local-cluster} with two api nodes behind HAProxy, two workers and Kafka, all real processes on
 * loopback: charges and events through the load balancer stay exact, and killing an api node or a worker with
 * SIGKILL loses nothing that was acknowledged. The tests share one cluster and run in order; the kills come last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIntegrationTests {

	private static final Path SCRIPT = WalleyeProcess.ROOT.resolve("deploy/local-cluster");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String AMOUNT = "0.10";

	private Path dir = Path.of("");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private JsonNode cluster = JSON.nullNode();

	private String lb = "";

	private String admin = "";

	private String business = "";

	private String businessWallet = "";

	private String applicationKey = "";

	private final List<String> customerWallets = new ArrayList<>();

	/** Invoices charged (201) so far across the tests: the business wallet must hold exactly this many amounts. */
	private final Set<String> charged = ConcurrentHashMap.newKeySet();

	@BeforeAll
	void up(@TempDir Path temporary) throws Exception {
		dir = temporary;
		ProcessBuilder builder = script("up", "--api=2", "--workers=2", "--transport=kafka");
		Map<String, String> environment = builder.environment();
		// The classes this build compiled, not a jar from an earlier package.
		environment.put("WALLEYE_CLUSTER_CLASSPATH", System.getProperty("java.class.path"));
		// A killed worker's partitions go to the other after the session timeout (45 s by default).
		environment.put("SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS", "6000");
		environment.put("SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS", "1000");
		environment.put("JAVA_OPTS", "-Xmx320m -XX:TieredStopAtLevel=1");
		Path output = dir.resolve("up.out");
		Process up = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
		assertThat(up.waitFor(12, TimeUnit.MINUTES)).as("local-cluster up finished").isTrue();
		List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
		assertThat(up.exitValue()).as(String.join("\n", lines)).isZero();
		cluster = JSON.readTree(lines.getLast());
		lb = cluster.get("url").asString() + "/api/v1";

		admin = field(send(http, "POST", lb + "/auth/login", null, "{\"username\":\"admin\",\"password\":\""
				+ cluster.get("admin_password").asString() + "\"}").body(), "access_token");
		applicationKey = field(created(http, lb + "/applications", admin, "{\"name\":\"cluster.example\"}"), "api_key");
		business = field(created(http, lb + "/businesses", null,
				"{\"name\":\"Cluster shop\",\"email\":\"shop@cluster.example\"}"), "api_key");
		businessWallet = field(created(http, lb + "/wallets", business, "{}"), "token");
		for (int i = 0; i < 4; i++) {
			String key = field(created(http, lb + "/customers", null,
					"{\"name\":\"Customer " + i + "\",\"email\":\"c" + i + "@cluster.example\"}"), "api_key");
			String wallet = field(created(http, lb + "/wallets", key, "{\"currency\":\"EUR\"}"), "token");
			created(http, lb + "/wallets/" + wallet + "/deposits", key, "{\"amount\":\"100000.00\"}");
			customerWallets.add(wallet);
		}
	}

	@AfterAll
	void down() throws Exception {
		Process down = script("down").redirectErrorStream(true).redirectOutput(dir.resolve("down.out").toFile()).start();
		assertThat(down.waitFor(2, TimeUnit.MINUTES)).isTrue();
	}

	@Test
	@Order(1)
	void chargesFromManyThreadsThroughTheBalancerChargeEachInvoiceOnceAndKeepTheLedgerBalanced() throws Exception {
		int invoices = 60;
		int threads = 8;
		Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
		AtomicInteger duplicates = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> all = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				all.add(pool.submit(() -> {
					// Every thread charges every invoice, each in its own order: exactly one of them may win.
					for (int i = 0; i < invoices; i++) {
						String invoice = "INV-A-" + ((i + thread * 7) % invoices);
						HttpResponse<String> answer = charge(invoice, null);
						if (answer.statusCode() == 201) {
							accepted.computeIfAbsent(invoice, k -> new AtomicInteger()).incrementAndGet();
						}
						else {
							assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
							assertThat(answer.body()).contains("duplicate_invoice");
							duplicates.incrementAndGet();
						}
					}
					return null;
				}));
			}
			for (Future<?> future : all) {
				future.get(3, TimeUnit.MINUTES);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(accepted).hasSize(invoices);
		assertThat(accepted.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
		assertThat(duplicates.get()).isEqualTo(invoices * (threads - 1));
		charged.addAll(accepted.keySet());
		assertBalancedAndEveryChargeCounted();
	}

	@Test
	@Order(2)
	void eventsSentThroughBothApiNodesAreAllQueryableOnce() throws Exception {
		List<String> nodes = apiUrls();
		assertThat(nodes).hasSize(2);
		Map<UUID, Integer> sessions = new ConcurrentHashMap<>();
		for (String node : nodes) {
			UUID session = UUID.randomUUID();
			List<String> batches = new ArrayList<>();
			for (int b = 0; b < 4; b++) {
				batches.add(events(session, 50));
			}
			for (String batch : batches) {
				assertThat(send(http, "POST", node + "/api/v1/events", applicationKey, batch).statusCode()).isEqualTo(202);
			}
			// The same batch again through the other node: the same ids, stored once.
			String other = nodes.get((nodes.indexOf(node) + 1) % nodes.size());
			assertThat(send(http, "POST", other + "/api/v1/events", applicationKey, batches.getFirst()).statusCode())
				.isEqualTo(202);
			sessions.put(session, 200);
		}
		for (var session : sessions.entrySet()) {
			await(() -> sessionCount(session.getKey()) >= session.getValue(), "session " + session.getKey() + " stored",
					Duration.ofSeconds(60));
			assertThat(sessionCount(session.getKey())).isEqualTo((long) session.getValue());
		}
	}

	@Test
	@Order(3)
	void anApiNodeKilledUnderLoadIsRoutedAroundAndNothingAcknowledgedIsLost() throws Exception {
		Load load = new Load();
		load.start();
		Thread.sleep(3000);
		long killedAt = System.nanoTime();
		kill(pidOf("api", 0));
		Thread.sleep(8000);
		load.stop();

		// Within seconds the balancer's health checks take the node out; its retries cover most requests before.
		long lastFailure = load.lastFailure.get();
		assertThat(lastFailure == 0 ? 0 : Duration.ofNanos(lastFailure - killedAt).toMillis())
			.as("the last failed request, in ms after the kill").isLessThan(5000);
		assertThat(load.succeededAfter(killedAt + Duration.ofSeconds(5).toNanos())).isPositive();
		load.settleUnknownCharges();
		charged.addAll(load.charged);
		assertBalancedAndEveryChargeCounted();
		// A batch the dying node stored but could not answer is resent, as a client would: stored once, not twice.
		load.settleUnknownEvents();
		await(() -> sessionCount(load.session) >= load.events.size(), "every 202'd event stored", Duration.ofSeconds(60));
		assertThat(sessionCount(load.session)).isEqualTo(load.events.size());
	}

	@Test
	@Order(4)
	void aWorkerKilledMidStreamHandsItsPartitionsToTheOtherWhichCatchesUp() throws Exception {
		UUID session = UUID.randomUUID();
		int sent = 0;
		for (int b = 0; b < 5; b++) {
			assertThat(post("/events", applicationKey, events(session, 100)).statusCode()).isEqualTo(202);
			sent += 100;
		}
		kill(pidOf("worker", 0));
		for (int b = 0; b < 10; b++) {
			assertThat(post("/events", applicationKey, events(session, 100)).statusCode()).isEqualTo(202);
			sent += 100;
		}
		int expected = sent;
		await(() -> sessionCount(session) >= expected, expected + " events stored by the surviving worker",
				Duration.ofSeconds(90));
		assertThat(sessionCount(session)).isEqualTo(expected);
	}

	// ---- the load of test 3 -------------------------------------------------------------------------------------

	/** Keyed charges and client-id events through the balancer; every acknowledgement is recorded. */
	private final class Load {

		final UUID session = UUID.randomUUID();

		final Set<String> charged = ConcurrentHashMap.newKeySet();

		/** Charges whose answer was lost (the node died under them): settled afterwards with their key. */
		final Set<String> unknown = ConcurrentHashMap.newKeySet();

		final Set<UUID> events = ConcurrentHashMap.newKeySet();

		/**
		 * Event batches whose answer was lost: the node may have stored them before it died. Sent again afterwards
		 * with the same ids, as a client does; the dedup makes that safe.
		 */
		final Map<String, List<UUID>> unsettledBatches = new ConcurrentHashMap<>();

		final AtomicLong lastFailure = new AtomicLong();

		final List<Long> successes = java.util.Collections.synchronizedList(new ArrayList<>());

		final AtomicInteger sequence = new AtomicInteger();

		final List<Thread> threads = new ArrayList<>();

		volatile boolean running;

		void start() {
			running = true;
			for (int i = 0; i < 4; i++) {
				threads.add(Thread.ofPlatform().start(() -> loop(this::charge)));
			}
			threads.add(Thread.ofPlatform().start(() -> loop(this::eventBatch)));
		}

		void stop() throws InterruptedException {
			running = false;
			for (Thread thread : threads) {
				thread.join(Duration.ofSeconds(90).toMillis());
			}
		}

		long succeededAfter(long nanos) {
			synchronized (successes) {
				return successes.stream().filter(at -> at > nanos).count();
			}
		}

		private void loop(Step step) {
			while (running) {
				try {
					if (step.run()) {
						successes.add(System.nanoTime());
					}
					else {
						lastFailure.set(System.nanoTime());
					}
				}
				catch (IOException ex) {
					lastFailure.set(System.nanoTime());
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		private boolean charge() throws IOException, InterruptedException {
			String invoice = "INV-L-" + sequence.incrementAndGet();
			unknown.add(invoice);
			HttpResponse<String> answer = LocalClusterIntegrationTests.this.charge(invoice, invoice);
			if (answer.statusCode() == 201) {
				charged.add(invoice);
				unknown.remove(invoice);
				return true;
			}
			return false;
		}

		private boolean eventBatch() throws IOException, InterruptedException {
			List<UUID> ids = new ArrayList<>();
			String batch = events(session, 20, ids);
			unsettledBatches.put(batch, ids);
			if (post("/events", applicationKey, batch).statusCode() == 202) {
				events.addAll(ids);
				unsettledBatches.remove(batch);
				return true;
			}
			return false;
		}

		/** Sends each event batch whose answer was lost again, with the same ids: 202, and each event stored once. */
		void settleUnknownEvents() throws Exception {
			for (var batch : unsettledBatches.entrySet()) {
				assertThat(post("/events", applicationKey, batch.getKey()).statusCode()).isEqualTo(202);
				events.addAll(batch.getValue());
			}
		}

		/** Sends each charge whose answer was lost again with its key: its first outcome, or a first attempt. */
		void settleUnknownCharges() throws Exception {
			for (String invoice : unknown) {
				HttpResponse<String> answer = LocalClusterIntegrationTests.this.charge(invoice, invoice);
				assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
				charged.add(invoice);
			}
		}
	}

	private interface Step {
		boolean run() throws IOException, InterruptedException;
	}

	// ---- helpers ------------------------------------------------------------------------------------------------

	private ProcessBuilder script(String... arguments) {
		List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
		command.addAll(List.of(arguments));
		command.add("--dir=" + dir.resolve("cluster"));
		return new ProcessBuilder(command);
	}

	private HttpResponse<String> charge(String invoice, String idempotencyKey) throws IOException, InterruptedException {
		String wallet = customerWallets.get(Math.floorMod(invoice.hashCode(), customerWallets.size()));
		String body = "{\"wallet_token\":\"" + wallet + "\",\"amount\":\"" + AMOUNT + "\",\"invoice\":\"" + invoice
				+ "\"}";
		return idempotencyKey == null ? post("/charges", business, body)
				: post("/charges", business, body, "Idempotency-Key", idempotencyKey);
	}

	private HttpResponse<String> post(String path, String key, String body, String... headers)
			throws IOException, InterruptedException {
		return send(http, "POST", lb + path, key, body, headers);
	}

	/** The ledger verifies with no mismatch, and the business holds exactly one amount per charged invoice. */
	private void assertBalancedAndEveryChargeCounted() throws Exception {
		HttpResponse<String> verify = send(http, "GET", lb + "/admin/ledger/verify", admin, null);
		assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
		assertThat(JSON.readTree(verify.body()).get("mismatches")).as(verify.body()).isEmpty();
		JsonNode balance = JSON.readTree(
				send(http, "GET", lb + "/wallets/" + businessWallet + "/balance", business, null).body());
		assertThat(new BigDecimal(balance.get("balance").asString()))
			.isEqualByComparingTo(new BigDecimal(AMOUNT).multiply(BigDecimal.valueOf(charged.size())));
	}

	private static String events(UUID session, int count) {
		return events(session, count, new ArrayList<>());
	}

	private static String events(UUID session, int count, List<UUID> ids) {
		StringBuilder batch = new StringBuilder("[");
		for (int i = 0; i < count; i++) {
			UUID id = UUID.randomUUID();
			ids.add(id);
			batch.append(i == 0 ? "" : ",")
				.append("{\"id\":\"")
				.append(id)
				.append("\",\"session_id\":\"")
				.append(session)
				.append("\",\"category\":\"page interaction\",\"name\":\"pageview\",\"timestamp\":\"")
				.append(Instant.now())
				.append("\",\"data\":{\"host\":\"cluster.example\",\"path\":\"/\"}}");
		}
		return batch.append(']').toString();
	}

	private long sessionCount(UUID session) {
		try {
			HttpResponse<String> summary = send(http, "GET", lb + "/sessions/" + session, admin, null);
			return summary.statusCode() == 200 ? JSON.readTree(summary.body()).get("count").asLong() : 0;
		}
		catch (IOException ex) {
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private List<String> apiUrls() {
		List<String> urls = new ArrayList<>();
		for (JsonNode process : processes()) {
			if (process.get("role").asString().equals("api")) {
				urls.add("http://127.0.0.1:" + process.get("port").asInt());
			}
		}
		return urls;
	}

	private long pidOf(String role, int index) {
		List<Long> pids = new ArrayList<>();
		for (JsonNode process : processes()) {
			if (process.get("role").asString().equals(role)) {
				pids.add(process.get("pid").asLong());
			}
		}
		return pids.get(index);
	}

	private JsonNode processes() {
		return cluster.get("processes");
	}

	private static void kill(long pid) throws Exception {
		assertThat(new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor()).isZero();
	}

	private static void await(BooleanSupplier condition, String what, Duration patience) throws InterruptedException {
		long deadline = System.nanoTime() + patience.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as(what).isLessThan(deadline);
			Thread.sleep(250);
		}
	}
}
