package io.walleye.bench.wallet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Recorder;

import io.walleye.bench.BenchArgs;
import io.walleye.bench.LatencyChart;
import io.walleye.bench.OpenLoop;
import io.walleye.bench.ProcStat;
import io.walleye.bench.Scenario;
import io.walleye.bench.Setup;

/**
 * Holds against charges in the same run: after an unreported warm-up of both ({@code --warmup}), {@code --concurrency}
 * clients in a closed loop charge for {@code --duration}, then authorise and capture (a pair: the capture needs the
 * hold's id, so an open loop cannot drive it), then charge again; prints charges/s, pairs/s, each p99, the CPU the
 * machine spent per charge and per pair outside this generator, and the pair's cost relative to one charge by each
 * measure (goal: at most 2.2x), and writes the three latency distributions to {@code wallet-holds.svg}.
 */
public final class HoldScenario implements Scenario {

	@Override
	public String name() {
		return "wallet-holds";
	}

	@Override
	public String description() {
		return "hold+capture pairs/s, p99 and CPU per pair beside charges (--concurrency=32 --duration=30s --warmup=10s --capture=full|partial --customers=1000 --businesses=100)";
	}

	@Override
	public void run(BenchArgs args) throws Exception {
		String url = args.url();
		OpenLoop loop = new OpenLoop(args.integer("max-in-flight", 1024));
		Setup setup = new Setup(loop, url);
		int customers = args.integer("customers", 1_000);
		int businesses = args.integer("businesses", 100);
		int concurrency = args.integer("concurrency", 32);
		Duration duration = args.duration("duration", Duration.ofSeconds(30));
		Duration warmup = args.duration("warmup", Duration.ofSeconds(10));
		// With the server's pid, its JVM's share of the server CPU is told apart from the rest (PostgreSQL).
		long serverPid = args.integer("server-pid", 0);
		String run = Long.toString(System.currentTimeMillis(), 36);
		// What each pair captures of its 2.00 hold: by default all of it (the usual capture), or with
		// --capture=partial 1.50 as the final capture, which also releases the remaining 0.50 (two more postings and
		// two more events).
		String capture = switch (args.string("capture", "full")) {
			case "full" -> "{}";
			case "partial" -> "{\"amount\":\"1.50\",\"final\":true}";
			default -> throw new IllegalArgumentException("--capture is full or partial");
		};

		FundedParties parties = FundedParties.prepare(setup, customers, businesses, "hold-" + run);
		String[] businessKeys = parties.businessKeys();
		String[] walletTokens = parties.walletTokens();
		HttpClient http = loop.http();
		AtomicLong invoices = new AtomicLong();

		Call charge = () -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			String body = "{\"wallet_token\":\"" + walletTokens[random.nextInt(walletTokens.length)]
					+ "\",\"amount\":\"1.00\",\"invoice\":\"" + run + "-c-" + invoices.incrementAndGet() + "\"}";
			return send(http, post(url + "/api/v1/charges", businessKeys[random.nextInt(businessKeys.length)], body))
				.statusCode() == 201;
		};
		Call pair = () -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			String key = businessKeys[random.nextInt(businessKeys.length)];
			String body = "{\"wallet_token\":\"" + walletTokens[random.nextInt(walletTokens.length)]
					+ "\",\"amount\":\"2.00\",\"invoice\":\"" + run + "-h-" + invoices.incrementAndGet() + "\"}";
			HttpResponse<String> held = send(http, post(url + "/api/v1/holds", key, body));
			if (held.statusCode() != 201) {
				return false;
			}
			String id = Setup.JSON.readTree(held.body()).get("id").asString();
			return send(http, post(url + "/api/v1/holds/" + id + "/captures", key, capture)).statusCode() == 201;
		};
		// A fresh server's JIT is still compiling through the first seconds: warm both paths up before measuring.
		if (!warmup.isZero()) {
			closedLoop("warm-up charges", serverPid, concurrency, warmup.dividedBy(2), charge);
			closedLoop("warm-up pairs", serverPid, concurrency, warmup.dividedBy(2), pair);
		}
		// Charges before and after the pairs: the machine's drift over the run shows as the difference between them.
		Phase chargesBefore = closedLoop("charges (before)", serverPid, concurrency, duration, charge).print();
		Phase pairs = closedLoop("hold+capture", serverPid, concurrency, duration, pair).print();
		Phase chargesAfter = closedLoop("charges (after)", serverPid, concurrency, duration, charge).print();
		double chargeRate = (chargesBefore.result().completedRate() + chargesAfter.result().completedRate()) / 2;
		double chargeP99 = (chargesBefore.result().percentileMillis(99) + chargesAfter.result().percentileMillis(99))
				/ 2;
		double chargeCpu = (chargesBefore.serverMicrosPerOp() + chargesAfter.serverMicrosPerOp()) / 2;
		System.out.printf(
				"a hold-then-capture costs %.2fx one charge in throughput, %.2fx in p99, %.2fx in server CPU (goal: at most 2.2x)%n",
				chargeRate / pairs.result().completedRate(), pairs.result().percentileMillis(99) / chargeP99,
				pairs.serverMicrosPerOp() / chargeCpu);
		LatencyChart.write(args.output().resolve("wallet-holds.svg"),
				"hold+capture pairs vs charges, " + concurrency + " clients, closed loop",
				List.of(chargesBefore.result(), pairs.result(), chargesAfter.result()));
	}

	/**
	 * One measured phase: the result, and the CPU the machine spent outside this generator per successful call (the
	 * server and PostgreSQL; anything else running counts too, so measure on a quiet machine), with the cores used.
	 */
	private record Phase(OpenLoop.Result result, double serverMicrosPerOp, double jvmMicrosPerOp, double serverCores,
			double generatorCores) {

		Phase print() {
			System.out.println(result.summary());
			System.out.printf("  server CPU %.0f us per call%s (%.2f cores), generator java %.2f cores%n",
					serverMicrosPerOp,
					jvmMicrosPerOp < 0 ? ""
							: String.format(" (JVM %.0f, rest %.0f)", jvmMicrosPerOp, serverMicrosPerOp - jvmMicrosPerOp),
					serverCores, generatorCores);
			return this;
		}
	}

	private interface Call {

		boolean run() throws Exception;
	}

	/**
	 * {@code concurrency} clients each calling as soon as the previous call returned, for {@code duration}; latencies
	 * in an HdrHistogram, from when each call was sent (a closed loop has no due times).
	 */
	private static Phase closedLoop(String name, long serverPid, int concurrency, Duration duration, Call call)
			throws Exception {
		Recorder latencies = new Recorder(3);
		long jvmBefore = serverPid > 0 ? ProcStat.of(serverPid).ownTicks() : 0;
		long machineBefore = ProcStat.machineBusyTicks();
		long generatorBefore = ProcStat.self().ownTicks();
		LongAdder ok = new LongAdder();
		LongAdder failed = new LongAdder();
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < concurrency; i++) {
			clients.add(Thread.ofVirtual().start(() -> {
				while (System.nanoTime() < end) {
					long began = System.nanoTime();
					try {
						(call.run() ? ok : failed).increment();
					}
					catch (Exception ex) {
						failed.increment();
					}
					latencies.recordValue(Math.max(1, (System.nanoTime() - began) / 1_000));
				}
			}));
		}
		for (Thread client : clients) {
			client.join();
		}
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		long generatorTicks = ProcStat.self().ownTicks() - generatorBefore;
		long serverTicks = ProcStat.machineBusyTicks() - machineBefore - generatorTicks;
		double perSecond = ok.sum() / (took.toNanos() / 1e9);
		OpenLoop.Result result = new OpenLoop.Result(name, perSecond, perSecond, latencies.getIntervalHistogram(),
				ok.sum(), failed.sum(), Map.of(), took);
		long calls = Math.max(1, ok.sum());
		double jvmMicros = serverPid > 0
				? (ProcStat.of(serverPid).ownTicks() - jvmBefore) / ProcStat.TICKS_PER_SECOND * 1e6 / calls : -1;
		return new Phase(result, serverTicks / ProcStat.TICKS_PER_SECOND * 1e6 / calls, jvmMicros,
				ProcStat.coreShare(serverTicks, took.toNanos()), ProcStat.coreShare(generatorTicks, took.toNanos()));
	}

	private static HttpRequest post(String uri, String key, String body) {
		return HttpRequest.newBuilder(URI.create(uri))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + key)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}
}
