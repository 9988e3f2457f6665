package io.walleye.bench.eye;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import io.walleye.bench.Setup;
import io.walleye.bench.TimeSeriesChart;

/**
 * Reads the server's backlog gauges ({@code eye_backlog_size}, {@code eye_backlog_age_seconds}) and stored-events
 * counter from {@code /actuator/prometheus} at a fixed interval while a run goes on: "the worker keeps up" is a flat
 * backlog, which only a series over the whole run can show.
 */
final class BacklogSampler implements AutoCloseable {

	record Sample(double seconds, double size, double ageSeconds, double stored) {
	}

	private final HttpClient http;

	private final HttpRequest request;

	private final Duration interval;

	private final List<Sample> samples = new ArrayList<>();

	private final long startedAt = System.nanoTime();

	private final Thread thread;

	BacklogSampler(HttpClient http, String url, String adminToken, Duration interval) {
		this.http = http;
		this.request = Setup.get(url + "/actuator/prometheus", "Bearer " + adminToken);
		this.interval = interval;
		this.thread = Thread.ofVirtual().start(this::loop);
	}

	private void loop() {
		while (true) {
			try {
				sample();
			}
			catch (IOException | RuntimeException ex) {
				// a missed sample; the next one comes after the interval
			}
			catch (InterruptedException ex) {
				return;
			}
			try {
				Thread.sleep(interval);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void sample() throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		String metrics = response.statusCode() == 200 ? response.body() : "";
		var size = value(metrics, "eye_backlog_size");
		var age = value(metrics, "eye_backlog_age_seconds");
		var stored = value(metrics, "eye_events_stored_total");
		if (size.isPresent() && age.isPresent()) {
			synchronized (samples) {
				samples.add(new Sample((System.nanoTime() - startedAt) / 1e9, size.getAsDouble(), age.getAsDouble(),
						stored.orElse(0)));
			}
		}
	}

	/** The first value of a metric in the Prometheus text format ({@code name{labels} value}). */
	static OptionalDouble value(String metrics, String name) {
		for (String line : metrics.split("\n")) {
			if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
				String rest = line.substring(line.startsWith(name + "{") ? line.lastIndexOf('}') + 1 : name.length());
				return OptionalDouble.of(Double.parseDouble(rest.trim().split(" ")[0]));
			}
		}
		return OptionalDouble.empty();
	}

	/** Seconds since sampling began. */
	double elapsed() {
		return (System.nanoTime() - startedAt) / 1e9;
	}

	/**
	 * Waits (at most {@code max}) until a sample shows an empty backlog, so the stored rate can be read over the load
	 * and the drain after it: a worker that only catches up after the load has stopped did not keep up.
	 */
	void awaitDrain(Duration max) throws InterruptedException {
		long deadline = System.nanoTime() + max.toNanos();
		double from = elapsed();
		while (System.nanoTime() < deadline) {
			List<Sample> all = samples();
			if (!all.isEmpty() && all.getLast().seconds() > from && all.getLast().size() == 0) {
				return;
			}
			Thread.sleep(200);
		}
	}

	/**
	 * "worker during load: stored 14,100/s against 20,000/s accepted (ratio 0.71), backlog at load's end 61,000;
	 * drained 12 s later": the storing rate is taken between the samples nearest the load's start and end.
	 */
	String keepingUp(double loadEnd, double acceptedPerSecond) {
		List<Sample> all = samples();
		List<Sample> during = all.stream().filter(s -> s.seconds() <= loadEnd + 0.5).toList();
		if (during.size() < 2) {
			return "  worker during load: too few backlog samples (use --backlog-interval=1s)";
		}
		Sample first = during.getFirst();
		Sample last = during.getLast();
		double stored = (last.stored() - first.stored()) / (last.seconds() - first.seconds());
		String drained = all.stream()
			.filter(s -> s.seconds() > loadEnd && s.size() == 0)
			.findFirst()
			.map(s -> String.format("drained %.0f s after the load", s.seconds() - loadEnd))
			.orElse("not drained when sampling stopped");
		return String.format("  worker during load: stored %.0f events/s against %.0f accepted (ratio %.2f), backlog at"
				+ " load's end %.0f; %s", stored, acceptedPerSecond, stored / acceptedPerSecond, last.size(), drained);
	}

	/** The samples as CSV (seconds, backlog size, oldest's age, stored counter), to compare runs after the fact. */
	void writeCsv(Path file) throws IOException {
		StringBuilder csv = new StringBuilder("seconds,backlog,oldest_seconds,stored_total\n");
		for (Sample sample : samples()) {
			csv.append(String.format(java.util.Locale.ROOT, "%.1f,%.0f,%.1f,%.0f%n", sample.seconds(), sample.size(), sample.ageSeconds(),
					sample.stored()));
		}
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, csv);
	}

	List<Sample> samples() {
		synchronized (samples) {
			return List.copyOf(samples);
		}
	}

	/** "backlog: 61 samples, size max 700 (at end 300), oldest max 1.0 s; worker stored 10,012/s". */
	String summary() {
		List<Sample> all = samples();
		if (all.isEmpty()) {
			return "backlog: no samples (is /actuator/prometheus reachable with the admin token?)";
		}
		Sample first = all.getFirst();
		Sample last = all.getLast();
		double maxSize = all.stream().mapToDouble(Sample::size).max().orElse(0);
		double maxAge = all.stream().mapToDouble(Sample::ageSeconds).max().orElse(0);
		double storedRate = last.seconds() > first.seconds()
				? (last.stored() - first.stored()) / (last.seconds() - first.seconds()) : 0;
		return String.format("  backlog: %d samples over %.0f s, size max %.0f (at end %.0f), oldest max %.1f s;"
				+ " worker stored %.0f events/s", all.size(), last.seconds() - first.seconds(), maxSize, last.size(),
				maxAge, storedRate);
	}

	TimeSeriesChart.Series series(String name) {
		List<Sample> all = samples();
		return new TimeSeriesChart.Series(name, all.stream().mapToDouble(Sample::seconds).toArray(),
				all.stream().mapToDouble(Sample::size).toArray());
	}

	@Override
	public void close() throws InterruptedException {
		thread.interrupt();
		thread.join();
	}
}
