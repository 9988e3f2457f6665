package io.walleye.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * The C load generator: {@code wrk} (Debian package) driven open-loop by {@code bench/wrk/open-loop.lua}, one
 * connection per wrk thread, each paced on its own schedule and measuring latency from due times. The set-up stays in
 * Java; the keys and wallet tokens reach the script as a generated Lua data file. Its CPU share is read from this
 * process's {@code /proc/self/stat} children's times once wrk has ended.
 */
public final class Wrk {

	/** Wallet tokens written to the data file at most: each wrk thread loads its own copy. */
	private static final int MAX_WALLETS = 20_000;

	/**
	 * What the script sends: {@code mode} {@code uniform} or {@code hot} (charges with random keys / the first key),
	 * {@code events} ({@code batch} per request), {@code auth}; {@code expectedStatus} counts as ok.
	 */
	public record Target(String mode, List<String> keys, List<String> wallets, int batch, int expectedStatus) {
	}

	private Wrk() {
	}

	/** A warm-up run (discarded) then the measured one, both at {@code rate}; prints wrk's CPU share. */
	public static OpenLoop.Result run(BenchArgs args, String name, double rate, Duration warmup, Duration duration,
			Target target) throws Exception {
		int connections = args.integer("connections", 128);
		String run = Long.toString(System.nanoTime(), 36);
		Path data = Files.createTempFile("walleye-wrk-", ".lua");
		try {
			Files.writeString(data, dataFile(target, rate, connections, run));
			ProcStat before = ProcStat.self();
			long began = System.nanoTime();
			if (!warmup.isZero()) {
				runOnce(args.url(), data, "w", warmup, connections);
			}
			List<String> output = runOnce(args.url(), data, "m", duration, connections);
			long wall = System.nanoTime() - began;
			double cpu = ProcStat.coreShare(ProcStat.self().childTicks() - before.childTicks(), wall);
			OpenLoop.Result result = parse(name, rate, duration, target.expectedStatus(), output);
			System.out.println(result.summary());
			System.out.printf("  generator wrk (%d connections): CPU %.0f %% of one core%n", connections, cpu * 100);
			return result;
		}
		finally {
			Files.deleteIfExists(data);
		}
	}

	private static List<String> runOnce(String url, Path data, String phase, Duration duration, int connections)
			throws IOException, InterruptedException {
		// One second more than measured: the script's schedules start a second after it loads (connections first).
		long seconds = duration.toSeconds() + 1;
		List<String> command = List.of("wrk", "-t" + connections, "-c" + connections, "-d" + seconds + "s",
				"--timeout", "60s", "-s", "bench/wrk/open-loop.lua", url, "--", data.toString(), phase);
		Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
		List<String> lines;
		try (var reader = wrk.inputReader(StandardCharsets.UTF_8)) {
			lines = reader.lines().toList();
		}
		if (!wrk.waitFor(seconds + 120, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
			wrk.destroyForcibly();
			throw new IllegalStateException("wrk failed: " + String.join("\n", lines));
		}
		return lines;
	}

	static String dataFile(Target target, double rate, int connections, String run) {
		StringBuilder lua = new StringBuilder();
		lua.append("mode = ").append(quote(target.mode())).append('\n');
		lua.append("batch = ").append(target.batch()).append('\n');
		lua.append("rate = ").append(rate).append('\n');
		lua.append("threads = ").append(connections).append('\n');
		lua.append("run = ").append(quote(run)).append('\n');
		list(lua, "keys", target.keys());
		list(lua, "wallets", target.wallets().subList(0, Math.min(MAX_WALLETS, target.wallets().size())));
		return lua.toString();
	}

	private static void list(StringBuilder lua, String name, List<String> values) {
		lua.append(name).append(" = {");
		for (String value : values) {
			lua.append(quote(value)).append(',');
		}
		lua.append("}\n");
	}

	private static String quote(String value) {
		if (!value.matches("[A-Za-z0-9_.:-]*")) {
			throw new IllegalArgumentException("not a token: " + value);
		}
		return '"' + value + '"';
	}

	/**
	 * Reads what the script's {@code done()} printed ({@code lat <micros> <count>}, {@code status <code> <count>},
	 * {@code count <name> <n>}; wrk's own closed-loop summary lines are ignored) into a result whose completed rate is
	 * the responses over the schedules' window ({@code count window_us}), or over {@code duration} without it.
	 */
	static OpenLoop.Result parse(String name, double rate, Duration duration, int expectedStatus, List<String> lines) {
		Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
		Map<Integer, Long> statuses = new TreeMap<>();
		Map<String, Long> counts = new TreeMap<>();
		for (String line : lines) {
			String[] parts = line.trim().split(" ");
			if (parts.length != 3) {
				continue;
			}
			switch (parts[0]) {
				case "lat" -> latency.recordValueWithCount(
						Math.min(Long.parseLong(parts[1]), latency.getHighestTrackableValue()), Long.parseLong(parts[2]));
				case "status" -> statuses.merge(Integer.parseInt(parts[1]), Long.parseLong(parts[2]), Long::sum);
				case "count" -> counts.put(parts[1], Long.parseLong(parts[2]));
				default -> {
				}
			}
		}
		if (!counts.containsKey("sent")) {
			throw new IllegalStateException("wrk printed no counts (did the script run?): " + String.join("\n", lines));
		}
		long responses = statuses.values().stream().mapToLong(Long::longValue).sum();
		long ok = statuses.getOrDefault(expectedStatus, 0L);
		long failed = responses - ok + counts.getOrDefault("errors", 0L);
		// The schedules' own window when the script reports it: wrk's duration starts after all its threads exist.
		Duration window = counts.containsKey("window_us") ? Duration.ofNanos(counts.get("window_us") * 1000) : duration;
		double completedRate = responses / (window.toNanos() / 1e9);
		return new OpenLoop.Result(name, rate, completedRate, latency, ok, failed, statuses, window);
	}
}
