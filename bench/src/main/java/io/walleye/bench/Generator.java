package io.walleye.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * Which load generator a scenario runs with: {@code --generator=java} (the JDK HTTP client, {@link OpenLoop}, the
 * default) or {@code --generator=wrk} ({@link Wrk}, C). Both are open-loop, correct coordinated omission and print
 * their own CPU share, so their figures can be compared side by side.
 */
public final class Generator {

	private final BenchArgs args;

	private final OpenLoop loop;

	public Generator(BenchArgs args, OpenLoop loop) {
		this.args = args;
		this.loop = loop;
	}

	public boolean wrk() {
		return switch (args.string("generator", "java")) {
			case "java" -> false;
			case "wrk" -> true;
			default -> throw new IllegalArgumentException("--generator is java or wrk");
		};
	}

	/** Runs one rate with the chosen generator and prints the result and the generator's CPU share. */
	public OpenLoop.Result run(String name, double rate, Duration warmup, Duration duration,
			LongFunction<HttpRequest> requests, Predicate<HttpResponse<String>> success, Wrk.Target target)
			throws Exception {
		if (wrk()) {
			return Wrk.run(args, name + " [wrk]", rate, warmup, duration, target);
		}
		ProcStat before = ProcStat.self();
		long began = System.nanoTime();
		OpenLoop.Result result = loop.run(name, rate, warmup, duration, requests, success);
		double cpu = ProcStat.coreShare(ProcStat.self().ownTicks() - before.ownTicks(), System.nanoTime() - began);
		System.out.println(result.summary());
		System.out.printf("  generator java: CPU %.0f %% of one core%n", cpu * 100);
		return result;
	}

	/** The chart's file name: {@code base.svg}, or {@code base-wrk.svg} for the C generator. */
	public String chart(String base) {
		return base + (wrk() ? "-wrk" : "") + ".svg";
	}
}
