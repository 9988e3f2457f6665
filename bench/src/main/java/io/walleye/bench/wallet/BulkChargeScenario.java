package io.walleye.bench.wallet;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.walleye.bench.BenchArgs;
import io.walleye.bench.LatencyChart;
import io.walleye.bench.OpenLoop;
import io.walleye.bench.Scenario;
import io.walleye.bench.Setup;

/**
 * Bulk charges beside single charges in the same run: single charges at {@code --single-rate} first (the baseline on
 * this machine at this moment), then batches of {@code --batch} charges to uniformly chosen customer wallets at each
 * of {@code --rates} batches per second, open loop. Prints charges/s (items of answered batches) and the batch
 * latencies, and writes them to {@code wallet-bulk-charges.svg}. With {@code --own-customers=true} each business
 * charges only its own slice of the customers (a billing run: two businesses' batches share no wallet, so they need
 * not wait for each other's locks); by default every batch picks from all customers (any two batches overlap).
 */
public final class BulkChargeScenario implements Scenario {

	@Override
	public String name() {
		return "wallet-bulk-charges";
	}

	@Override
	public String description() {
		return "POST /api/v1/charges/batch at --rates=10,20,30 batches/s of --batch=1000, after single charges at --single-rate=1500 (--customers=5000 --businesses=50; --own-customers=true: each business charges only its own customers)";
	}

	@Override
	public void run(BenchArgs args) throws Exception {
		String url = args.url();
		OpenLoop loop = new OpenLoop(args.integer("max-in-flight", 1024));
		Setup setup = new Setup(loop, url);
		int batch = args.integer("batch", 1000);
		String run = Long.toString(System.currentTimeMillis(), 36);
		Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
		Duration duration = args.duration("duration", Duration.ofSeconds(20));

		int customers = args.integer("customers", 5_000);
		int businesses = args.integer("businesses", 50);
		boolean ownCustomers = Boolean.parseBoolean(args.string("own-customers", "false"));
		int slice = customers / businesses;
		if (ownCustomers && slice == 0) {
			throw new IllegalArgumentException("--own-customers=true gives each business customers/businesses of "
					+ "them: it needs at least as many customers as businesses");
		}
		FundedParties parties = FundedParties.prepare(setup, customers, businesses, "bulk-" + run);
		String[] businessKeys = parties.businessKeys();
		String[] walletTokens = parties.walletTokens();

		List<OpenLoop.Result> results = new ArrayList<>();
		String singleRate = args.string("single-rate", "1500");
		OpenLoop.Result single = loop.run("single charges @ " + singleRate + "/s", Double.parseDouble(singleRate),
				warmup, duration, i -> {
					ThreadLocalRandom random = ThreadLocalRandom.current();
					String body = "{\"wallet_token\":\"" + walletTokens[random.nextInt(walletTokens.length)]
							+ "\",\"amount\":\"1.00\",\"invoice\":\"" + run + "-s-" + i + "\"}";
					return post(url + "/api/v1/charges", businessKeys[random.nextInt(businessKeys.length)], body);
				}, response -> response.statusCode() == 201);
		System.out.println(single.summary());
		System.out.printf("single charges: %.0f charges/s%n", single.ok() / seconds(single));
		results.add(single);

		for (String rate : args.string("rates", "10,20,30").split(",")) {
			OpenLoop.Result result = loop.run("batches of " + batch + " @ " + rate + "/s", Double.parseDouble(rate),
					warmup, duration, i -> {
						ThreadLocalRandom random = ThreadLocalRandom.current();
						int business = random.nextInt(businessKeys.length);
						StringBuilder body = new StringBuilder(batch * 96).append("{\"items\":[");
						for (int item = 0; item < batch; item++) {
							int customer = ownCustomers ? business * slice + random.nextInt(slice)
									: random.nextInt(walletTokens.length);
							body.append(item == 0 ? "" : ",")
								.append("{\"wallet_token\":\"")
								.append(walletTokens[customer])
								.append("\",\"amount\":\"1.00\",\"invoice\":\"")
								.append(run).append("-b").append(rate).append('-').append(i).append('-').append(item)
								.append("\"}");
						}
						return post(url + "/api/v1/charges/batch", businessKeys[business],
								body.append("]}").toString());
					}, response -> response.statusCode() == 200 && !response.body().contains("\"status\":4"));
			System.out.println(result.summary());
			System.out.printf("bulk charges: %.0f charges/s (%.1fx the single charges' rate), batch p50 %.0f ms p99 %.0f ms%n",
					result.ok() * batch / seconds(result), result.ok() * batch / seconds(result) / (single.ok() / seconds(single)),
					result.percentileMillis(50), result.percentileMillis(99));
			results.add(result);
		}
		LatencyChart.write(args.output().resolve("wallet-bulk-charges.svg"),
				"POST /api/v1/charges/batch (" + batch + " per batch) vs POST /api/v1/charges", results);
	}

	private static double seconds(OpenLoop.Result result) {
		return result.duration().toNanos() / 1e9;
	}

	private static HttpRequest post(String uri, String key, String body) {
		return HttpRequest.newBuilder(URI.create(uri))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + key)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}
}
