package io.walleye.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import java.util.function.Predicate;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Open-loop load: request {@code i} is due at {@code start + i / rate}, whether or not earlier requests have
 * answered, and its latency is measured from that due time. A server that stalls therefore shows its stall in every
 * request that should have been sent meanwhile — the correction for coordinated omission that a closed loop (send,
 * wait, send) cannot make.
 */
public final class OpenLoop {

	/** What one run measured: latencies from due time, counts by outcome, and the rate actually completed. */
	public record Result(String name, double offeredRate, double completedRate, Histogram latencyMicros, long ok,
			long failed, Map<Integer, Long> statuses, Duration duration) {

		public double percentileMillis(double percentile) {
			return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
		}

		public String summary() {
			return String.format(
					"%s: offered %.0f/s, completed %.0f/s, ok %d, failed %d, statuses %s, latency ms p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f",
					name, offeredRate, completedRate, ok, failed, statuses, percentileMillis(50), percentileMillis(90),
					percentileMillis(99), percentileMillis(99.9), latencyMicros.getMaxValue() / 1000.0);
		}
	}

	private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(2);

	private final HttpClient http;

	private final int maxInFlight;

	public OpenLoop(int maxInFlight) {
		this.maxInFlight = maxInFlight;
		ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.executor(executor)
			.build();
	}

	public HttpClient http() {
		return http;
	}

	/**
	 * Offers {@code rate} requests per second for {@code duration}, after {@code warmup} at the same rate whose
	 * results are discarded. {@code requests} builds request {@code i}; {@code success} judges a response.
	 */
	public Result run(String name, double rate, Duration warmup, Duration duration, LongFunction<HttpRequest> requests,
			Predicate<HttpResponse<String>> success) throws InterruptedException {
		if (!warmup.isZero()) {
			measure(name + " (warm-up)", rate, warmup, requests, success, 0);
		}
		return measure(name, rate, duration, requests, success, Math.round(rate * warmup.toNanos() / 1e9));
	}

	private Result measure(String name, double rate, Duration duration, LongFunction<HttpRequest> requests,
			Predicate<HttpResponse<String>> success, long firstIndex) throws InterruptedException {
		Recorder recorder = new Recorder(MAX_LATENCY_MICROS, 3);
		LongAdder ok = new LongAdder();
		LongAdder failed = new LongAdder();
		Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
		Semaphore inFlight = new Semaphore(maxInFlight);
		AtomicLong lastCompletion = new AtomicLong();
		long total = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
		double intervalNanos = 1e9 / rate;
		long start = System.nanoTime();
		for (long i = 0; i < total; i++) {
			long due = start + (long) (i * intervalNanos);
			long wait = due - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			inFlight.acquire();
			HttpRequest request = requests.apply(firstIndex + i);
			http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
				long now = System.nanoTime();
				// Clamped: an overloaded run can fall minutes behind its schedule, and a value past the histogram's
				// range would throw here, never release the slot and leave the run waiting on it.
				recorder.recordValue(Math.clamp((now - due) / 1000, 1, MAX_LATENCY_MICROS));
				lastCompletion.accumulateAndGet(now, Math::max);
				if (error == null) {
					statuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
				}
				if (error == null && success.test(response)) {
					ok.increment();
				}
				else {
					failed.increment();
				}
				inFlight.release();
			});
		}
		if (!inFlight.tryAcquire(maxInFlight, 2, TimeUnit.MINUTES)) {
			throw new IllegalStateException("requests still in flight after two minutes");
		}
		long elapsed = Math.max(lastCompletion.get() - start, 1);
		Map<Integer, Long> statusCounts = new java.util.TreeMap<>();
		statuses.forEach((status, count) -> statusCounts.put(status, count.sum()));
		double completedRate = (ok.sum() + failed.sum()) / (elapsed / 1e9);
		return new Result(name, rate, completedRate, recorder.getIntervalHistogram(), ok.sum(), failed.sum(),
				statusCounts, Duration.ofNanos(elapsed));
	}
}
