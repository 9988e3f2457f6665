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
import io.walleye.bench.Scenario;
import io.walleye.bench.Setup;

/**
 * Holds against charges in the same run: {@code --concurrency} clients in a closed loop charge for {@code --duration},
 * then authorise and capture (a pair: the capture needs the hold's id, so an open loop cannot drive it), then charge
 * again; prints charges/s, pairs/s, each p99 and the pair's cost relative to one charge (goal: at most 2.2x), and
 * writes the three latency distributions to {@code wallet-holds.svg}.
 */
public final class HoldScenario implements Scenario {

	@Override
	public String name() {
		return "wallet-holds";
	}

	@Override
	public String description() {
		return "hold+capture pairs/s and p99 beside charges/s (--concurrency=32 --duration=30s --customers=1000 --businesses=100)";
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
		String run = Long.toString(System.currentTimeMillis(), 36);

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
			return send(http, post(url + "/api/v1/holds/" + id + "/captures", key, "{\"amount\":\"1.50\",\"final\":true}"))
				.statusCode() == 201;
		};
		// Charges before and after the pairs: the machine's drift over the run shows as the difference between them.
		OpenLoop.Result chargesBefore = closedLoop("charges (before)", concurrency, duration, charge);
		System.out.println(chargesBefore.summary());
		OpenLoop.Result pairs = closedLoop("hold+capture", concurrency, duration, pair);
		System.out.println(pairs.summary());
		OpenLoop.Result chargesAfter = closedLoop("charges (after)", concurrency, duration, charge);
		System.out.println(chargesAfter.summary());
		double chargeRate = (chargesBefore.completedRate() + chargesAfter.completedRate()) / 2;
		double chargeP99 = (chargesBefore.percentileMillis(99) + chargesAfter.percentileMillis(99)) / 2;
		System.out.printf("a hold-then-capture costs %.2fx one charge (throughput), p99 %.2fx (goal: at most 2.2x)%n",
				chargeRate / pairs.completedRate(), pairs.percentileMillis(99) / chargeP99);
		LatencyChart.write(args.output().resolve("wallet-holds.svg"),
				"hold+capture pairs vs charges, " + concurrency + " clients, closed loop",
				List.of(chargesBefore, pairs, chargesAfter));
	}

	private interface Call {

		boolean run() throws Exception;
	}

	/**
	 * {@code concurrency} clients each calling as soon as the previous call returned, for {@code duration}; latencies
	 * in an HdrHistogram, from when each call was sent (a closed loop has no due times).
	 */
	private static OpenLoop.Result closedLoop(String name, int concurrency, Duration duration, Call call)
			throws Exception {
		Recorder latencies = new Recorder(3);
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
		double perSecond = ok.sum() / (took.toNanos() / 1e9);
		return new OpenLoop.Result(name, perSecond, perSecond, latencies.getIntervalHistogram(), ok.sum(), failed.sum(),
				Map.of(), took);
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
