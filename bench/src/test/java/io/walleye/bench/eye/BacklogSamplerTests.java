package io.walleye.bench.eye;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.walleye.bench.TimeSeriesChart;

import static org.assertj.core.api.Assertions.assertThat;

class BacklogSamplerTests {

	@Test
	void readsTheGaugesWithTheirLabelsFromThePrometheusText() {
		String metrics = """
				# HELP eye_backlog_size Accepted events waiting for the worker
				# TYPE eye_backlog_size gauge
				eye_backlog_size{application="walleye"} 300.0
				eye_backlog_age_seconds{application="walleye"} 1.25
				eye_events_stored_total 42.0
				""";
		assertThat(BacklogSampler.value(metrics, "eye_backlog_size")).hasValue(300.0);
		assertThat(BacklogSampler.value(metrics, "eye_backlog_age_seconds")).hasValue(1.25);
		assertThat(BacklogSampler.value(metrics, "eye_events_stored_total")).hasValue(42.0);
		assertThat(BacklogSampler.value(metrics, "eye_backlog")).isEmpty();
	}

	@Test
	void samplesAServerAndChartsTheSeries(@TempDir Path dir) throws Exception {
		AtomicInteger calls = new AtomicInteger();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/actuator/prometheus", exchange -> {
			int n = calls.incrementAndGet();
			String auth = exchange.getRequestHeaders().getFirst("Authorization");
			byte[] body = ("eye_backlog_size{application=\"walleye\"} " + n * 100 + ".0\n"
					+ "eye_backlog_age_seconds{application=\"walleye\"} 0.5\n"
					+ "eye_events_stored_total{application=\"walleye\"} " + n * 1000 + ".0\n")
				.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders("Bearer token".equals(auth) ? 200 : 401, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		try (HttpClient http = HttpClient.newHttpClient()) {
			BacklogSampler sampler = new BacklogSampler(http, "http://127.0.0.1:" + server.getAddress().getPort(),
					"token", Duration.ofMillis(20));
			// wait for samples rather than a fixed time: a loaded machine may take a while for the first request
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (calls.get() < 5 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			sampler.close();
			List<BacklogSampler.Sample> samples = sampler.samples();
			assertThat(samples).hasSizeGreaterThan(3);
			assertThat(samples.get(1).size()).isEqualTo(samples.get(0).size() + 100);
			assertThat(sampler.summary()).contains("size max " + (int) samples.getLast().size())
				.contains("oldest max 0.5 s")
				.containsPattern("worker stored \\d+ events/s");

			Path chart = dir.resolve("backlog.svg");
			TimeSeriesChart.write(chart, "Backlog", "events waiting", List.of(sampler.series("test")));
			assertThat(Files.readString(chart)).startsWith("<svg").contains("<polyline").contains("test");
		}
		finally {
			server.stop(0);
		}
	}
}
