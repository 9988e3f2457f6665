package io.walleye.bench.eye;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;

import io.walleye.bench.BenchArgs;
import io.walleye.bench.LatencyChart;
import io.walleye.bench.OpenLoop;
import io.walleye.bench.Scenario;
import io.walleye.bench.Setup;

/**
 * Querying a large event store at a fixed offered rate: a session's events, events of one category in a one-hour
 * window, and events filtered by session id. The store is seeded straight into the tables by
 * {@code bench/sql/eye-events.sql} (run here through {@code psql} with {@code --pg-port}), because sending tens of
 * millions of events through the API would take hours on two cores. The seeder names session n
 * {@code md5('eye-bench-session-' || n)::uuid}, so the scenario picks seeded sessions without asking the server.
 */
public final class QueryScenario implements Scenario {

	private static final String[] CATEGORIES = { "page interaction", "form interaction", "media interaction" };

	@Override
	public String name() {
		return "eye-query";
	}

	@Override
	public String description() {
		return "GET events by session / category + one hour at --rate=100 --events=1000000 --password=admin "
				+ "(add --pg-port=<embedded port> to seed the store first)";
	}

	@Override
	public void run(BenchArgs args) throws Exception {
		String url = args.url();
		OpenLoop loop = new OpenLoop(args.integer("max-in-flight", 512));
		String admin = new Setup(loop, url).login(args.string("password", System.getenv("WALLEYE_ADMIN_PASSWORD")));
		long events = Long.parseLong(args.string("events", "1000000"));
		String pgPort = args.optional("pg-port");
		if (pgPort != null) {
			Setup.psql(pgPort, "bench/sql/eye-events.sql", Map.of("events", events));
		}
		long sessions = Math.max(1, events / 20);
		String bearer = "Bearer " + admin;
		// The seeder spreads sessions over the 90 days before it ran; windows start no later than two hours ago.
		Instant newest = Instant.now().minus(2, ChronoUnit.HOURS);
		Instant oldest = Instant.now().minus(89, ChronoUnit.DAYS);

		double rate = args.number("rate", 100);
		Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
		Duration duration = args.duration("duration", Duration.ofSeconds(20));
		List<OpenLoop.Result> results = new ArrayList<>();
		results.add(measure(loop, "by session", rate, warmup, duration,
				i -> Setup.get(url + "/api/v1/sessions/" + randomSession(sessions) + "/events", bearer)));
		results.add(measure(loop, "category + 1 h", rate, warmup, duration, i -> {
			Instant from = Setup.randomInstant(oldest, newest).truncatedTo(ChronoUnit.SECONDS);
			String category = CATEGORIES[ThreadLocalRandom.current().nextInt(CATEGORIES.length)];
			return Setup.get(url + "/api/v1/events?category=" + Setup.encode(category) + "&from=" + from + "&to="
					+ from.plus(1, ChronoUnit.HOURS), bearer);
		}));
		results.add(measure(loop, "session_id filter", rate, warmup, duration,
				i -> Setup.get(url + "/api/v1/events?session_id=" + randomSession(sessions), bearer)));
		LatencyChart.write(args.output().resolve("eye-query.svg"),
				String.format("Eye queries (%,d stored events)", events), results);
	}

	/** A seeded session: {@code md5('eye-bench-session-' || n)::uuid} for n in 1..sessions, as the seeder names it. */
	static UUID session(long n) {
		try {
			byte[] md5 = MessageDigest.getInstance("MD5")
				.digest(("eye-bench-session-" + n).getBytes(StandardCharsets.UTF_8));
			ByteBuffer bytes = ByteBuffer.wrap(md5);
			return new UUID(bytes.getLong(), bytes.getLong());
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static UUID randomSession(long sessions) {
		return session(1 + ThreadLocalRandom.current().nextLong(sessions));
	}

	private static OpenLoop.Result measure(OpenLoop loop, String name, double rate, Duration warmup,
			Duration duration, LongFunction<HttpRequest> requests) throws InterruptedException {
		OpenLoop.Result result = loop.run(name + " @ " + (long) rate + "/s", rate, warmup, duration, requests,
				response -> response.statusCode() == 200 && !response.body().contains("\"items\":[]"));
		System.out.printf("%s; p95 %.2f ms%n", result.summary(), result.percentileMillis(95));
		return result;
	}
}
