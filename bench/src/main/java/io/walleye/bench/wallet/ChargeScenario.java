package io.walleye.bench.wallet;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.walleye.bench.BenchArgs;
import io.walleye.bench.Generator;
import io.walleye.bench.LatencyChart;
import io.walleye.bench.OpenLoop;
import io.walleye.bench.Scenario;
import io.walleye.bench.Setup;
import io.walleye.bench.Wrk;

/**
 * Charges through the real HTTP API at fixed offered rates: customers' wallets funded up front, businesses charging
 * uniformly chosen customer wallets ({@code --mode=uniform}) or all charges going to one business wallet
 * ({@code --mode=hot}). Every charge has a fresh invoice, so each one is real ledger work.
 */
public final class ChargeScenario implements Scenario {

	@Override
	public String name() {
		return "wallet-charges";
	}

	@Override
	public String description() {
		return "POST /api/v1/charges at --rates=500,1000,1500 (--customers=100000 --businesses=1000 --mode=uniform|hot --generator=java|wrk)";
	}

	@Override
	public void run(BenchArgs args) throws Exception {
		String url = args.url();
		OpenLoop loop = new OpenLoop(args.integer("max-in-flight", 1024));
		Setup setup = new Setup(loop, url);
		int customers = args.integer("customers", 100_000);
		int businesses = args.integer("businesses", 1_000);
		String mode = args.string("mode", "uniform");
		String run = Long.toString(System.currentTimeMillis(), 36);

		FundedParties parties = FundedParties.prepare(setup, customers, businesses, run);
		String[] businessKeys = parties.businessKeys();
		String[] walletTokens = parties.walletTokens();

		Generator generator = new Generator(args, loop);
		Wrk.Target target = new Wrk.Target(mode, List.of(businessKeys), List.of(walletTokens), 1, 201);
		List<OpenLoop.Result> results = new ArrayList<>();
		for (String rate : args.string("rates", "500,1000,1500").split(",")) {
			double perSecond = Double.parseDouble(rate);
			OpenLoop.Result result = generator.run(mode + " @ " + rate + "/s", perSecond,
					args.duration("warmup", Duration.ofSeconds(10)), args.duration("duration", Duration.ofSeconds(30)),
					i -> {
						ThreadLocalRandom random = ThreadLocalRandom.current();
						String businessKey = mode.equals("hot") ? businessKeys[0]
								: businessKeys[random.nextInt(businessKeys.length)];
						String wallet = walletTokens[random.nextInt(walletTokens.length)];
						String body = "{\"wallet_token\":\"" + wallet + "\",\"amount\":\"1.00\",\"invoice\":\"" + run
								+ "-" + rate + "-" + i + "\"}";
						return HttpRequest.newBuilder(URI.create(url + "/api/v1/charges"))
							.header("Content-Type", "application/json")
							.header("Authorization", "Bearer " + businessKey)
							.POST(HttpRequest.BodyPublishers.ofString(body))
							.build();
					}, response -> response.statusCode() == 201, target);
			results.add(result);
		}
		LatencyChart.write(args.output().resolve(generator.chart("wallet-charges-" + mode)),
				"POST /api/v1/charges (" + mode + ")", results);
	}
}
