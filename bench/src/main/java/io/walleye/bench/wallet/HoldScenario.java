package io.walleye.bench.wallet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.walleye.bench.BenchArgs;
import io.walleye.bench.OpenLoop;
import io.walleye.bench.Scenario;
import io.walleye.bench.Setup;

/**
 * Holds against charges in the same run: {@code --concurrency} clients in a closed loop first charge for
 * {@code --duration}, then authorise and capture (a pair: the capture needs the hold's id, so an open loop cannot drive
 * it), and print charges/s, pairs/s, each p99 and the pair's cost relative to one charge (goal: at most 2.2x).
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

		Phase charges = closedLoop("charges", concurrency, duration, () -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			String body = "{\"wallet_token\":\"" + walletTokens[random.nextInt(walletTokens.length)]
					+ "\",\"amount\":\"1.00\",\"invoice\":\"" + run + "-c-" + invoices.incrementAndGet() + "\"}";
			return send(http, post(url + "/api/v1/charges", businessKeys[random.nextInt(businessKeys.length)], body))
				.statusCode() == 201;
		});
		Phase pairs = closedLoop("hold+capture", concurrency, duration, () -> {
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
		});
		System.out.println(charges.summary());
		System.out.println(pairs.summary());
		System.out.printf("a hold-then-capture costs %.2fx one charge (throughput), p99 %.2fx (goal: at most 2.2x)%n",
				charges.perSecond() / pairs.perSecond(), pairs.p99Millis() / charges.p99Millis());
	}

	private record Phase(String name, long ok, long failed, double seconds, double p99Millis) {

		double perSecond() {
			return ok / seconds;
		}

		String summary() {
			return String.format("%-13s %8.1f/s  p99 %7.1f ms  ok %d  failed %d", name, perSecond(), p99Millis, ok,
					failed);
		}
	}

	private interface Call {

		boolean run() throws Exception;
	}

	/** {@code concurrency} clients each calling as soon as the previous call returned, for {@code duration}. */
	private static Phase closedLoop(String name, int concurrency, Duration duration, Call call) throws Exception {
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
		AtomicLong ok = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		long end = System.nanoTime() + duration.toNanos();
		long start = System.nanoTime();
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < concurrency; i++) {
			clients.add(Thread.ofVirtual().start(() -> {
				while (System.nanoTime() < end) {
					long began = System.nanoTime();
					try {
						(call.run() ? ok : failed).incrementAndGet();
					}
					catch (Exception ex) {
						failed.incrementAndGet();
					}
					latencies.add(System.nanoTime() - began);
				}
			}));
		}
		for (Thread client : clients) {
			client.join();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		double p99 = sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * 0.99)) / 1e6;
		return new Phase(name, ok.get(), failed.get(), seconds, p99);
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
