package io.walleye.bench;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Entry point: {@code bench/run <scenario> [--url=http://127.0.0.1:8080] [--rate=...] [--duration=60s] ...}.
 * Scenarios are found with {@link ServiceLoader}; each prints its figures and writes an SVG chart under
 * {@code --out} (default bench/target/results; the charts the docs show are under bench/results).
 */
public final class Bench {

	private Bench() {
	}

	public static void main(String[] args) throws Exception {
		List<Scenario> scenarios = ServiceLoader.load(Scenario.class).stream().map(ServiceLoader.Provider::get).toList();
		if (args.length == 0) {
			System.out.println("usage: bench/run <scenario> [--name=value ...]; scenarios:");
			scenarios.forEach(s -> System.out.printf("  %-22s %s%n", s.name(), s.description()));
			return;
		}
		Scenario scenario = scenarios.stream()
			.filter(s -> s.name().equals(args[0]))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no scenario " + args[0]));
		scenario.run(new BenchArgs(java.util.Arrays.copyOfRange(args, 1, args.length)));
		System.exit(0);
	}
}
