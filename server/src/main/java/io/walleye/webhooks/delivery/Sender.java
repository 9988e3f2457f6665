package io.walleye.webhooks.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import io.walleye.webhooks.domain.Signatures;

/**
 * One signed POST of an event to an endpoint with the JDK HTTP client: Standard Webhooks headers, no redirects
 * followed, the whole attempt (connect, status line, the first 1 KiB of the body) within the timeout.
 */
final class Sender implements AutoCloseable {

	static final int RESPONSE_EXCERPT = 1024;

	/** What came of an attempt: a status (null when none came) or an error, and how long it took. */
	record Result(@Nullable Integer status, @Nullable String body, @Nullable String retryAfter, @Nullable String error,
			long durationMs) {

		boolean delivered() {
			return status != null && status >= 200 && status < 300;
		}
	}

	private final HttpClient http;

	private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();

	private final Duration timeout;

	Sender(Duration timeout) {
		this.timeout = timeout;
		this.http = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(timeout)
			.build();
	}

	Result send(String url, String id, long timestamp, String body, List<String> secrets) {
		long started = System.nanoTime();
		HttpRequest request;
		try {
			request = HttpRequest.newBuilder(URI.create(url))
				.timeout(timeout)
				.header("Content-Type", "application/json")
				.header("User-Agent", "Walleye-Webhooks/1")
				.header("webhook-id", id)
				.header("webhook-timestamp", Long.toString(timestamp))
				.header("webhook-signature", Signatures.header(secrets, id, timestamp, body))
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
				.build();
		}
		catch (IllegalArgumentException ex) {
			return new Result(null, null, null, "invalid URL", elapsed(started));
		}
		HttpResponse<InputStream> response;
		try {
			response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		}
		catch (HttpTimeoutException ex) {
			return new Result(null, null, null, "timed out after " + timeout.toMillis() + " ms", elapsed(started));
		}
		catch (IOException ex) {
			return new Result(null, null, null, "connection failed: " + describe(ex), elapsed(started));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(null, null, null, "interrupted (the worker is stopping)", elapsed(started));
		}
		String excerpt = excerpt(response.body(), started);
		return new Result(response.statusCode(), excerpt,
				response.headers().firstValue("Retry-After").orElse(null), null, elapsed(started));
	}

	/** The body's first 1 KiB, read within what is left of the timeout; a receiver trickling bytes is cut off. */
	private @Nullable String excerpt(InputStream body, long started) {
		Future<byte[]> read = readers.submit(() -> body.readNBytes(RESPONSE_EXCERPT));
		long left = timeout.toNanos() - (System.nanoTime() - started);
		try {
			byte[] bytes = read.get(Math.max(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
			return bytes.length == 0 ? null : new String(bytes, StandardCharsets.UTF_8);
		}
		catch (ExecutionException | TimeoutException ex) {
			read.cancel(true);
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		finally {
			try {
				body.close();
			}
			catch (IOException ignored) {
				// The connection is dropped either way; nothing else is read from it.
			}
		}
	}

	private static String describe(IOException ex) {
		String message = ex.getMessage();
		return ex.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
	}

	private static long elapsed(long started) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
	}

	@Override
	public void close() {
		readers.shutdownNow();
		http.close();
	}
}
