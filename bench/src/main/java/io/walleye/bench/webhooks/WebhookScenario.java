package io.walleye.bench.webhooks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import com.sun.net.httpserver.HttpServer;

import io.walleye.bench.BenchArgs;
import io.walleye.bench.Generator;
import io.walleye.bench.LatencyChart;
import io.walleye.bench.OpenLoop;
import io.walleye.bench.Scenario;
import io.walleye.bench.Setup;
import io.walleye.bench.Wrk;
import io.walleye.bench.wallet.FundedParties;

/**
 * Webhook delivery beside the charge path in one run. A receiver in this JVM (JDK HttpServer on a free loopback port,
 * answering 204 at once and recording when each delivery arrived) is registered as the endpoint of half the businesses.
 * Charges at {@code --rate} go first to the businesses without an endpoint, then to those with one, then again without:
 * the charge path's cost of the outbox fan-out is the difference, and the delay of each delivery is measured from the
 * event's {@code created_at} (written in the charge's transaction) to its arrival. The server must allow plain-http
 * loopback endpoints: {@code WALLEYE_WEBHOOKS_ALLOW_HTTP=true WALLEYE_WEBHOOKS_ALLOW_PRIVATE=true}. With
 * {@code --generator=wrk} the charges are sent by wrk (C), so the bench JVM only receives: at 1,000 charges/s the JDK
 * client's CPU would otherwise slow the receiver, and every delivery's attempt with it.
 */
public final class WebhookScenario implements Scenario {

	@Override
	public String name() {
		return "webhooks";
	}

	@Override
	public String description() {
		return "charges with and without a webhook endpoint, delivery delay (--rate=1000 --duration=20s --customers=10000 --businesses=20 --generator=java|wrk)";
	}

	@Override
	public void run(BenchArgs args) throws Exception {
		String url = args.url();
		OpenLoop loop = new OpenLoop(args.integer("max-in-flight", 1024));
		Setup setup = new Setup(loop, url);
		double rate = args.number("rate", 1_000);
		Duration warmup = args.duration("warmup", Duration.ofSeconds(15));
		Duration duration = args.duration("duration", Duration.ofSeconds(20));
		int businesses = args.integer("businesses", 20);
		String run = Long.toString(System.currentTimeMillis(), 36);

		Recorder delays = new Recorder(TimeUnit.MINUTES.toMicros(10), 3);
		AtomicLong received = new AtomicLong();
		HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
		receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		receiver.createContext("/hook", exchange -> {
			Instant now = Instant.now();
			long arrived = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
			byte[] body = exchange.getRequestBody().readAllBytes();
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
			Instant created = Instant.parse(Setup.JSON.readTree(body).get("created_at").asString());
			long createdMicros = created.getEpochSecond() * 1_000_000 + created.getNano() / 1000;
			delays.recordValue(Math.clamp(arrived - createdMicros, 1, TimeUnit.MINUTES.toMicros(10)));
			received.incrementAndGet();
		});
		receiver.start();
		String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
		try {
			FundedParties parties = FundedParties.prepare(setup, args.integer("customers", 10_000),
					businesses, "hook-" + run);
			String[] keys = parties.businessKeys();
			String[] plain = Arrays.copyOfRange(keys, 0, businesses / 2);
			String[] hooked = Arrays.copyOfRange(keys, businesses / 2, businesses);
			for (String key : hooked) {
				setup.post("/api/v1/webhook-endpoints", key,
						Map.of("url", hook, "event_types", List.of("operation.accepted")), 201);
			}
			String[] wallets = parties.walletTokens();
			AtomicLong invoices = new AtomicLong();
			Generator generator = new Generator(args, loop);
			List<OpenLoop.Result> results = new ArrayList<>();
			// The warm-up sends charges with the endpoint registered, and waits for their deliveries: the delivery path
			// (the worker, the HTTP client, this receiver) would otherwise be measured cold, its JIT compiling while
			// the first measured seconds queue behind it.
			boolean warming = !warmup.isZero();
			for (String[] phase : warming ? List.of(hooked, plain, hooked, plain) : List.of(plain, hooked, plain)) {
				boolean withHooks = phase == hooked;
				long receivedBefore = received.get();
				delays.reset();
				String name = warming ? "warm-up: charges, endpoint registered"
						: (withHooks ? "charges, endpoint registered" : "charges, no endpoint")
								+ (results.isEmpty() ? "" : " (" + results.size() + ")");
				OpenLoop.Result result = generator.run(name, rate, Duration.ZERO, warming ? warmup : duration, i -> {
							ThreadLocalRandom random = ThreadLocalRandom.current();
							String body = "{\"wallet_token\":\"" + wallets[random.nextInt(wallets.length)]
									+ "\",\"amount\":\"1.00\",\"invoice\":\"" + run + "-" + invoices.incrementAndGet()
									+ "\"}";
							return HttpRequest.newBuilder(URI.create(url + "/api/v1/charges"))
								.header("Content-Type", "application/json")
								.header("Authorization", "Bearer " + phase[random.nextInt(phase.length)])
								.POST(HttpRequest.BodyPublishers.ofString(body))
								.build();
						}, response -> response.statusCode() == 201,
						new Wrk.Target("uniform", List.of(phase), List.of(wallets), 1, 201));
				if (withHooks) {
					reportDeliveries(result, received, receivedBefore, delays);
				}
				if (warming) {
					warming = false;
				}
				else {
					results.add(result);
				}
			}
			double without = (results.get(0).completedRate() + results.get(2).completedRate()) / 2;
			double withoutP99 = (results.get(0).percentileMillis(99) + results.get(2).percentileMillis(99)) / 2;
			System.out.printf("charge path with an endpoint: completed %.0f/s vs %.0f/s without (%.1f %%), p99 %.1f vs %.1f ms%n",
					results.get(1).completedRate(), without, (results.get(1).completedRate() / without - 1) * 100,
					results.get(1).percentileMillis(99), withoutP99);
			LatencyChart.write(args.output().resolve(generator.chart("webhooks-charges")),
					"POST /api/v1/charges at " + (long) rate + "/s, with and without a webhook endpoint", results);
		}
		finally {
			receiver.stop(0);
		}
	}

	/** Waits (up to a minute) for the deliveries of the phase's charges, then prints their rate and delay. */
	private static void reportDeliveries(OpenLoop.Result charges, AtomicLong received, long before, Recorder delays)
			throws InterruptedException {
		long expected = before + charges.ok();
		long started = System.nanoTime();
		long deadline = started + TimeUnit.MINUTES.toNanos(1);
		while (received.get() < expected && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		long delivered = received.get() - before;
		Histogram delay = delays.getIntervalHistogram();
		System.out.printf(
				"webhooks: %d of %d charges delivered (%.0f deliveries/s over the phase and its drain of %.1f s), delay from created_at ms p50 %.1f p90 %.1f p99 %.1f max %.1f%n",
				delivered, charges.ok(),
				delivered / ((charges.duration().toNanos() + (System.nanoTime() - started)) / 1e9),
				(System.nanoTime() - started) / 1e9, delay.getValueAtPercentile(50) / 1000.0,
				delay.getValueAtPercentile(90) / 1000.0, delay.getValueAtPercentile(99) / 1000.0,
				delay.getMaxValue() / 1000.0);
	}
}
