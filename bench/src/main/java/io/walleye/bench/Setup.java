package io.walleye.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

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

	public JsonNode post(String path, String bearer, Object body, int expectedStatus) throws Exception {
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
	public String login(String password) throws Exception {
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
		java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
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

	@FunctionalInterface
	public interface Task<T> {

		T run(int index) throws Exception;
	}
}
