package io.walleye.bench.wallet;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;

import tools.jackson.databind.JsonNode;

import io.walleye.bench.BenchArgs;
import io.walleye.bench.LatencyChart;
import io.walleye.bench.OpenLoop;
import io.walleye.bench.Scenario;
import io.walleye.bench.Setup;

/**
 * Reading a long wallet history: first page, later pages (cursors collected by walking the whole history once),
 * filtered pages and the balance at an instant, each at a fixed offered rate. The history is seeded straight into the
 * ledger tables by {@code bench/sql/wallet-history.sql} (run here through {@code psql}), because writing ten million
 * operations through the API would take hours on two cores.
 */
public final class HistoryScenario implements Scenario {

	@Override
	public String name() {
		return "wallet-history";
	}

	@Override
	public String description() {
		return "GET a wallet's history at --rate=200 (--pg-port=<embedded port> --hot=1000000 --filler=9000000, "
				+ "or --token= --key= of a wallet seeded before)";
	}

	@Override
	public void run(BenchArgs args) throws Exception {
		String url = args.url();
		OpenLoop loop = new OpenLoop(args.integer("max-in-flight", 512));
		String token = args.optional("token");
		String key = args.optional("key");
		if (token == null || key == null) {
			Setup setup = new Setup(loop, url);
			String run = Long.toString(System.currentTimeMillis(), 36);
			key = setup.post("/api/v1/customers", null,
					Map.of("name", "History " + run, "email", "history-" + run + "@bench.test"), 201)
				.get("api_key")
				.asString();
			token = setup.post("/api/v1/wallets", key, Map.of("currency", "EUR"), 201).get("token").asString();
			seed(args, token);
			System.out.printf("seeded wallet %s (key %s): rerun with --token=%s --key=%s%n", token, key, token, key);
		}
		String bearer = "Bearer " + key;
		String wallet = url + "/api/v1/wallets/" + token;
		String history = wallet + "/operations";

		List<String> cursors = walk(loop, history, bearer);
		System.out.printf("walked the history: %d pages of 500%n", cursors.size() + 1);
		Instant newest = Instant.now();
		Instant oldest = newest.minus(365, ChronoUnit.DAYS);

		double rate = args.number("rate", 200);
		Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
		Duration duration = args.duration("duration", Duration.ofSeconds(20));
		List<OpenLoop.Result> results = new ArrayList<>();
		results.add(measure(loop, "first page", rate, warmup, duration, i -> Setup.get(history + "?limit=50", bearer)));
		results.add(measure(loop, "later page", rate, warmup, duration, i -> Setup.get(history + "?limit=50&cursor="
				+ Setup.encode(cursors.get(ThreadLocalRandom.current().nextInt(cursors.size()))), bearer)));
		results.add(measure(loop, "type=deposit", rate, warmup, duration,
				i -> Setup.get(history + "?limit=50&type=deposit", bearer)));
		results.add(measure(loop, "rejected withdrawals", rate, warmup, duration,
				i -> Setup.get(history + "?limit=50&type=withdrawal&status=rejected", bearer)));
		results.add(measure(loop, "one day", rate, warmup, duration, i -> {
			Instant from = Setup.randomInstant(oldest, newest.minus(1, ChronoUnit.DAYS));
			return Setup.get(history + "?limit=50&from=" + from + "&to=" + from.plus(1, ChronoUnit.DAYS), bearer);
		}));
		results.add(measure(loop, "balance at", rate, warmup, duration, i -> Setup.get(wallet + "/balance?at="
				+ Setup.randomInstant(oldest, newest), bearer)));
		LatencyChart.write(args.output().resolve("wallet-history.svg"), "Wallet history (" + cursors.size() * 500
				+ "+ operations in one wallet)", results);
	}

	private static void seed(BenchArgs args, String token) throws Exception {
		Setup.psql(args.string("pg-port", "5432"), "bench/sql/wallet-history.sql",
				Map.of("token", token, "hot", args.integer("hot", 1_000_000), "filler",
						args.integer("filler", 9_000_000), "filler_wallets", args.integer("filler-wallets", 10_000)));
	}

	/** Every next_cursor of the history, walking it 500 operations at a time. */
	private static List<String> walk(OpenLoop loop, String history, String bearer) throws Exception {
		List<String> cursors = new ArrayList<>();
		String cursor = null;
		do {
			HttpResponse<String> page = loop.http()
				.send(Setup.get(history + "?limit=500" + (cursor == null ? "" : "&cursor=" + Setup.encode(cursor)), bearer),
						HttpResponse.BodyHandlers.ofString());
			if (page.statusCode() != 200) {
				throw new IllegalStateException("history page → " + page.statusCode() + " " + page.body());
			}
			JsonNode next = Setup.JSON.readTree(page.body()).get("next_cursor");
			cursor = next == null || next.isNull() ? null : next.asString();
			if (cursor != null) {
				cursors.add(cursor);
			}
		}
		while (cursor != null);
		return cursors;
	}

	private static OpenLoop.Result measure(OpenLoop loop, String name, double rate, Duration warmup,
			Duration duration, LongFunction<HttpRequest> requests) throws InterruptedException {
		OpenLoop.Result result = loop.run(name + " @ " + (long) rate + "/s", rate, warmup, duration, requests,
				response -> response.statusCode() == 200);
		System.out.println(result.summary());
		return result;
	}
}
