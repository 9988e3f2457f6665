package io.walleye.bench.eye;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Recorder;

import io.walleye.bench.BenchArgs;
import io.walleye.bench.Generator;
import io.walleye.bench.LatencyChart;
import io.walleye.bench.OpenLoop;
import io.walleye.bench.Scenario;
import io.walleye.bench.Setup;
import io.walleye.bench.TimeSeriesChart;
import io.walleye.bench.Wrk;

/**
 * Event ingestion through {@code POST /api/v1/events} at fixed offered request rates, {@code --batch} events per
 * request (100 for the batch goal, 1 for the single-event goal). With {@code --queryable-sample=N} every N-th request
 * also measures accept-to-queryable: the time from its 202 until {@code GET /api/v1/events/{id}} finds the event.
 * Every run samples the backlog behind the worker ({@code --backlog-interval=5s}) and charts it over time, and
 * compares the worker's storing rate during the load with the accepted rate; {@code --drain=60s} keeps sampling after
 * the load until the backlog is empty (at most that long) and says how long the worker took to catch up.
 */
public final class IngestScenario implements Scenario {

	@Override
	public String name() {
		return "eye-ingest";
	}

	@Override
	public String description() {
		return "POST /api/v1/events, --batch=100 --rates=50,100,200 (requests/s) --queryable-sample=50 --drain=60s --backlog-interval=1s --password=admin --generator=java|wrk";
	}

	@Override
	public void run(BenchArgs args) throws Exception {
		String url = args.url();
		OpenLoop loop = new OpenLoop(args.integer("max-in-flight", 1024));
		Setup setup = new Setup(loop, url);
		String admin = setup.login(args.string("password", System.getenv("WALLEYE_ADMIN_PASSWORD")));
		String key = setup.post("/api/v1/applications", admin, Map.of("name", "bench-" + System.currentTimeMillis()), 201)
			.get("api_key")
			.asString();
		int batch = args.integer("batch", 100);
		int sample = args.integer("queryable-sample", 0);
		UUID[] sessions = new UUID[10_000];
		for (int i = 0; i < sessions.length; i++) {
			sessions[i] = UUID.randomUUID();
		}
		Generator generator = new Generator(args, loop);
		Wrk.Target target = new Wrk.Target("events", List.of(key), List.of(), batch, 202);
		List<OpenLoop.Result> results = new ArrayList<>();
		List<TimeSeriesChart.Series> backlogs = new ArrayList<>();
		for (String rate : args.string("rates", "50,100,200").split(",")) {
			Recorder queryable = new Recorder(TimeUnit.MINUTES.toMicros(5), 3);
			double perSecond = Double.parseDouble(rate);
			BacklogSampler backlog = new BacklogSampler(loop.http(), url, admin,
					args.duration("backlog-interval", Duration.ofSeconds(5)));
			OpenLoop.Result result = generator.run("batch " + batch + " @ " + rate + " req/s", perSecond,
					args.duration("warmup", Duration.ofSeconds(5)), args.duration("duration", Duration.ofSeconds(30)),
					i -> request(url, key, batch, sessions, i),
					response -> {
						boolean accepted = response.statusCode() == 202;
						if (accepted && sample > 0 && ThreadLocalRandom.current().nextInt(sample) == 0) {
							watchUntilQueryable(loop, url, admin, response, queryable);
						}
						return accepted;
					}, target);
			double loadEnd = backlog.elapsed();
			double acceptedPerSecond = result.ok() / (result.duration().toNanos() / 1e9) * batch;
			System.out.printf("  → %.0f events/s accepted%n", acceptedPerSecond);
			if (sample > 0) {
				Thread.sleep(3_000);
				var histogram = queryable.getIntervalHistogram();
				System.out.printf("  accept-to-queryable: samples %d, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
						histogram.getTotalCount(), histogram.getValueAtPercentile(50) / 1000.0,
						histogram.getValueAtPercentile(95) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
						histogram.getMaxValue() / 1000.0);
			}
			backlog.awaitDrain(args.duration("drain", Duration.ZERO));
			backlog.close();
			System.out.println(backlog.summary());
			System.out.println(backlog.keepingUp(loadEnd, acceptedPerSecond));
			results.add(result);
			backlogs.add(backlog.series(String.format("%.0f events/s offered", batch * perSecond)));
			backlog.writeCsv(args.output().resolve("eye-ingest-batch" + batch + "-" + rate + "-backlog.csv"));
		}
		LatencyChart.write(args.output().resolve(generator.chart("eye-ingest-batch" + batch)),
				"POST /api/v1/events, " + batch + " per request", results);
		TimeSeriesChart.write(args.output().resolve("eye-ingest-batch" + batch + "-backlog.svg"),
				"Backlog behind the worker, " + batch + " events per request", "events waiting", backlogs);
	}

	private static HttpRequest request(String url, String key, int batch, UUID[] sessions, long index) {
		StringBuilder body = new StringBuilder(batch * 200).append(batch == 1 ? "" : "[");
		ThreadLocalRandom random = ThreadLocalRandom.current();
		Instant now = Instant.now();
		for (int e = 0; e < batch; e++) {
			if (e > 0) {
				body.append(',');
			}
			body.append("{\"session_id\":\"")
				.append(sessions[random.nextInt(sessions.length)])
				.append("\",\"category\":\"page interaction\",\"name\":\"pageview\",\"timestamp\":\"")
				.append(now)
				.append("\",\"data\":{\"host\":\"www.example.com\",\"path\":\"/p/")
				.append(index)
				.append('/')
				.append(e)
				.append("\"}}");
		}
		if (batch != 1) {
			body.append(']');
		}
		return HttpRequest.newBuilder(URI.create(url + "/api/v1/events"))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + key)
			.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
			.build();
	}

	/**
	 * Polls for the first event of an accepted request until it is queryable, off the load loop's threads. The pause
	 * between polls grows with the wait (a tenth of it, 10–250 ms), so the figure stays within about 10 % and the
	 * probes do not become the load: at a fixed 10 ms, a worker some seconds behind had a hundred watchers polling
	 * ten thousand times a second, which took the CPU the worker needed and kept it behind.
	 */
	private static void watchUntilQueryable(OpenLoop loop, String url, String admin, HttpResponse<String> accepted,
			Recorder recorder) {
		long acceptedAt = System.nanoTime();
		String id = Setup.JSON.readTree(accepted.body()).get("ids").get(0).asString();
		Thread.ofVirtual().start(() -> {
			HttpRequest get = Setup.get(url + "/api/v1/events/" + id, "Bearer " + admin);
			long deadline = acceptedAt + TimeUnit.SECONDS.toNanos(60);
			try {
				while (System.nanoTime() < deadline) {
					if (loop.http().send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
						recorder.recordValue(Math.max(1, (System.nanoTime() - acceptedAt) / 1000));
						return;
					}
					long waitedMillis = (System.nanoTime() - acceptedAt) / 1_000_000;
					Thread.sleep(Math.clamp(waitedMillis / 10, 10, 250));
				}
			}
			catch (Exception ex) {
				// a lost sample: counted by its absence in the sample total
			}
		});
	}
}
