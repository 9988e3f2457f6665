package io.walleye.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Preparing data through the public API before a run: many calls at bounded concurrency, failing fast on the first
 * unexpected answer (a benchmark over half-prepared data measures nothing).
 */
public final class Setup {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private final OpenLoop loop;

	private final String url;

	public Setup(OpenLoop loop, String url) {
		this.loop = loop;
		this.url = url;
	}

	public JsonNode post(String path, @Nullable String bearer, Object body, int expectedStatus) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		HttpResponse<String> response = loop.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != expectedStatus) {
			throw new IllegalStateException("POST " + path + " → " + response.statusCode() + " " + response.body());
		}
		return JSON.readTree(response.body());
	}

	/** Signs operator admin in and returns the access token. */
	public String login(@Nullable String password) throws Exception {
		if (password == null) {
			throw new IllegalArgumentException("give the admin password with --password= or WALLEYE_ADMIN_PASSWORD");
		}
		return post("/api/v1/auth/login", null, java.util.Map.of("username", "admin", "password", password), 200)
			.get("access_token")
			.asString();
	}

	/** Runs {@code count} tasks with at most {@code concurrency} at once, printing progress. */
	public static <T> T[] parallel(String what, int count, int concurrency, IntFunction<T[]> array, Task<T> task)
			throws Exception {
		T[] results = array.apply(count);
		Semaphore slots = new Semaphore(concurrency);
		AtomicInteger done = new AtomicInteger();
		java.util.concurrent.atomic.AtomicReference<@Nullable Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
		try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < count && failure.get() == null; i++) {
				int index = i;
				slots.acquire();
				executor.submit(() -> {
					try {
						results[index] = task.run(index);
						int n = done.incrementAndGet();
						if (n % 10_000 == 0) {
							System.out.printf("  %s: %d/%d%n", what, n, count);
						}
					}
					catch (Exception ex) {
						failure.compareAndSet(null, ex);
					}
					finally {
						slots.release();
					}
				});
			}
		}
		if (failure.get() != null) {
			throw failure.get();
		}
		return results;
	}

	/** A GET with {@code Authorization: <bearer>} ({@code "Bearer …"}). */
	public static HttpRequest get(String uri, String bearer) {
		return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", bearer).GET().build();
	}

	public static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/** A uniformly random instant in [from, to), to the millisecond. */
	public static Instant randomInstant(Instant from, Instant to) {
		long span = Duration.between(from, to).toMillis();
		return from.plusMillis(ThreadLocalRandom.current().nextLong(Math.max(1, span))).truncatedTo(ChronoUnit.MILLIS);
	}

	/**
	 * Seeds data straight into the server's embedded PostgreSQL with {@code psql -f script}, each variable passed as
	 * {@code -v name=value}; fails when psql does.
	 */
	public static void psql(String port, String script, Map<String, ?> variables) throws Exception {
		List<String> command = new ArrayList<>(List.of("psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres"));
		new TreeMap<>(variables).forEach((name, value) -> command.addAll(List.of("-v", name + "=" + value)));
		command.addAll(List.of("-f", script));
		System.out.println("seeding: " + String.join(" ", command));
		Process psql = new ProcessBuilder(command).inheritIO().start();
		if (psql.waitFor() != 0) {
			throw new IllegalStateException("seeding failed: psql exited with " + psql.exitValue());
		}
	}

	@FunctionalInterface
	public interface Task<T> {

		T run(int index) throws Exception;
	}
}
