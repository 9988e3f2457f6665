package io.walleye.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** {@code --name=value} options of a benchmark run, with defaults. */
public final class BenchArgs {

	private final Map<String, String> values = new HashMap<>();

	public BenchArgs(String[] args) {
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("options look like --name=value, not " + arg);
			}
			int eq = arg.indexOf('=');
			values.put(arg.substring(2, eq), arg.substring(eq + 1));
		}
	}

	public String string(String name, String fallback) {
		return values.getOrDefault(name, fallback);
	}

	/** An option without a default: null when not given. */
	public @Nullable String optional(String name) {
		return values.get(name);
	}

	public int integer(String name, int fallback) {
		return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
	}

	public double number(String name, double fallback) {
		return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
	}

	public Duration duration(String name, Duration fallback) {
		return values.containsKey(name) ? Duration.parse("PT" + values.get(name).toUpperCase()) : fallback;
	}

	/** The server under test; loopback only. */
	public String url() {
		String url = string("url", "http://127.0.0.1:8080");
		if (!url.startsWith("http://127.") && !url.startsWith("http://localhost") && !url.startsWith("http://[::1]")) {
			throw new IllegalArgumentException("benchmarks target this machine only (127.0.0.1), not " + url);
		}
		return url;
	}

	public Path output() {
		// Outside the tree's committed files: a run must not overwrite the charts docs/benchmarks.md shows.
		return Path.of(string("out", "bench/target/results"));
	}
}
