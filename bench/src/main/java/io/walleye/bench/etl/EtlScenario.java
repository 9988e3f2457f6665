package io.walleye.bench.etl;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

import io.walleye.bench.BenchArgs;
import io.walleye.bench.Scenario;
import io.walleye.bench.Setup;
import io.walleye.etl.FakeGitHub;

/**
 * ETL end to end against the fake GitHub (the server tests' {@link FakeGitHub}, started in this process): the
 * repositories per second a run extracts, transforms and loads, the server's heap meanwhile, and a re-run over
 * unchanged data (only 304s). The server must be started with {@code GITHUB_API_URL=http://127.0.0.1:<fake-port>}.
 */
public final class EtlScenario implements Scenario {

	private final HttpClient http = HttpClient.newHttpClient();

	@Override
	public String name() {
		return "etl";
	}

	@Override
	public String description() {
		return "ETL runs against an in-process fake GitHub: --repositories=20000 --unchanged=10000 --fake-port=9479 "
				+ "--password=admin (start the server with GITHUB_API_URL=http://127.0.0.1:9479)";
	}

	record Sample(double seconds, int extracted, int loaded, double heapMb) {
	}

	@Override
	public void run(BenchArgs args) throws Exception {
		String url = args.url();
		int port = args.integer("fake-port", 9479);
		int repositories = args.integer("repositories", 20_000);
		int unchanged = args.integer("unchanged", 10_000);
		FakeGitHub github = FakeGitHub.start(port);
		try {
			Setup setup = new Setup(new io.walleye.bench.OpenLoop(16), url);
			String token = setup.login(args.string("password", System.getenv("WALLEYE_ADMIN_PASSWORD")));
			String stamp = Long.toString(System.currentTimeMillis(), 36);

			System.out.printf("Fake GitHub at %s; full run over %,d repositories%n", github.url(), repositories);
			github.org("bench-full-" + stamp, repositories);
			List<Sample> samples = new ArrayList<>();
			JsonNode full = runToEnd(url, token, "bench-full-" + stamp, samples);
			double seconds = seconds(full);
			int loaded = full.get("counts").get("loaded").asInt();
			double maxHeap = samples.stream().mapToDouble(Sample::heapMb).max().orElse(0);
			double extractedAt = samples.stream().filter(s -> s.extracted() >= repositories).mapToDouble(Sample::seconds)
				.findFirst().orElse(Double.NaN);
			System.out.printf("  (extraction complete after %.1f s of polling, load after %.1f s)%n", extractedAt,
					samples.getLast().seconds());
			System.out.printf("full run: %s, %,d loaded in %.2f s = %,.0f repositories/s; server heap max %.0f MB%n",
					full.get("status").asString(), loaded, seconds, loaded / seconds, maxHeap);

			github.org("bench-same-" + stamp, unchanged);
			JsonNode first = runToEnd(url, token, "bench-same-" + stamp, new ArrayList<>());
			System.out.printf("unchanged data, first load: %,d in %.2f s%n", first.get("counts").get("loaded").asInt(),
					seconds(first));
			Instant start = Instant.now();
			JsonNode again = runToEnd(url, token, "bench-same-" + stamp, new ArrayList<>());
			double wall = Duration.between(start, Instant.now()).toMillis() / 1000.0;
			System.out.printf("unchanged data, re-run: %d pages, %d not modified, %,d loaded; %.2f s run, %.2f s wall "
					+ "from POST to finished%n", again.get("counts").get("pages").asInt(),
					again.get("counts").get("not_modified").asInt(), again.get("counts").get("loaded").asInt(),
					seconds(again), wall);

			Path out = args.output().resolve("etl.svg");
			Files.createDirectories(out.getParent());
			Files.writeString(out, svg(samples, repositories, loaded / seconds, maxHeap));
			System.out.println("chart: " + out);
		}
		finally {
			github.close();
		}
	}

	private JsonNode runToEnd(String url, String token, String org, List<Sample> samples) throws Exception {
		JsonNode run = call("POST", url + "/api/v1/etl/runs", token,
				Setup.JSON.writeValueAsString(Map.of("source", Map.of("org", org))));
		String id = run.get("id").asString();
		long start = System.nanoTime();
		while (true) {
			run = call("GET", url + "/api/v1/etl/runs/" + id, token, null);
			JsonNode heap = call("GET", url + "/actuator/metrics/jvm.memory.used?tag=area:heap", token, null);
			samples.add(new Sample((System.nanoTime() - start) / 1e9, run.get("counts").get("extracted").asInt(),
					run.get("counts").get("loaded").asInt(),
					heap.get("measurements").get(0).get("value").asDouble() / 1024 / 1024));
			String status = run.get("status").asString();
			if (status.equals("succeeded") || status.equals("failed") || status.equals("cancelled")) {
				if (!status.equals("succeeded")) {
					throw new IllegalStateException("run " + status + ": " + run);
				}
				return run;
			}
			Thread.sleep(100);
		}
	}

	private static double seconds(JsonNode run) {
		return Duration.between(Instant.parse(run.get("started_at").asString()),
				Instant.parse(run.get("finished_at").asString())).toMillis() / 1000.0;
	}

	private JsonNode call(String method, String uri, String token, @Nullable String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() >= 300) {
			throw new IllegalStateException(method + " " + uri + " → " + response.statusCode() + " " + response.body());
		}
		return Setup.JSON.readTree(response.body());
	}

	/** Rows loaded over time (blue) and server heap (grey), as a plain SVG. */
	private static String svg(List<Sample> samples, int total, double rate, double maxHeap) {
		double width = 720;
		double height = 300;
		double maxT = Math.max(0.1, samples.isEmpty() ? 1 : samples.getLast().seconds());
		double heapScale = Math.max(64, maxHeap * 1.2);
		StringBuilder loaded = new StringBuilder();
		StringBuilder heap = new StringBuilder();
		for (Sample s : samples) {
			double x = 50 + (width - 70) * s.seconds() / maxT;
			loaded.append(String.format("%.1f,%.1f ", x, height - 40 - (height - 70) * s.loaded() / (double) total));
			heap.append(String.format("%.1f,%.1f ", x, height - 40 - (height - 70) * s.heapMb() / heapScale));
		}
		return """
				<svg xmlns="http://www.w3.org/2000/svg" width="%1$.0f" height="%2$.0f" font-family="sans-serif" font-size="12">
				<rect width="100%%" height="100%%" fill="white"/>
				<text x="50" y="20">ETL end to end: %3$,d repositories, %4$,.0f repositories/s, heap max %5$.0f MB</text>
				<line x1="50" y1="%6$.0f" x2="%7$.0f" y2="%6$.0f" stroke="#999"/>
				<line x1="50" y1="30" x2="50" y2="%6$.0f" stroke="#999"/>
				<text x="50" y="%8$.0f">0 s</text><text x="%9$.0f" y="%8$.0f">%10$.1f s</text>
				<polyline fill="none" stroke="#2563eb" stroke-width="2" points="%11$s"/>
				<polyline fill="none" stroke="#94a3b8" stroke-width="1.5" points="%12$s"/>
				<text x="60" y="45" fill="#2563eb">rows loaded (0..%3$,d)</text>
				<text x="60" y="60" fill="#64748b">server heap used (0..%13$.0f MB)</text>
				</svg>
				""".formatted(width, height, total, rate, maxHeap, height - 40, width - 20, height - 22, width - 60, maxT,
				loaded.toString().trim(), heap.toString().trim(), heapScale);
	}
}
