package io.walleye.eye.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of The Eye that never blocks the caller: {@link #send} puts the event in a bounded in-memory buffer and
 * returns at once; a background thread sends batches of up to {@code batchSize} events, waiting at most
 * {@code linger} for a batch to fill. Network errors, 5xx and 429 are retried with exponential backoff and full jitter
 * (honouring {@code Retry-After}); since event ids are generated here, a retried batch is stored once.
 *
 * <p><b>When the buffer is full</b>, the event being sent is dropped (never the ones already buffered), {@link #send}
 * returns false and the {@code dropped} counter grows: a slow or absent server costs the application events, never
 * latency or memory. Size the buffer for the outage you want to ride out ({@code bufferCapacity}, default 10,000).
 *
 * <p>Only a 202 counts as sent. Batches the server refuses (400 invalid events, 401, 403, 409, 413, any answer the
 * client does not understand) or that still fail after {@code maxAttempts} count as {@code failed}, with the reason
 * in {@link Metrics#lastFailure()} and the log. {@link #flush()} waits until everything sent before it is delivered or
 * given up; {@link #close()} flushes (up to {@code closeTimeout}) and stops the thread.
 *
 * <pre>{@code
 * try (EyeClient eye = EyeClient.builder(URI.create("http://localhost:8080"), apiKey).build()) {
 *     eye.send(EyeEvent.of(sessionId, "page interaction", "pageview", Map.of("host", "shop.example", "path", "/")));
 * }
 * }</pre>
 */
public final class EyeClient implements AutoCloseable {

	private static final System.Logger log = System.getLogger(EyeClient.class.getName());

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final URI eventsUri;

	private final String authorization;

	private final HttpClient http;

	private final int batchSize;

	private final Duration linger;

	private final int maxAttempts;

	private final Duration initialBackoff;

	private final Duration maxBackoff;

	private final Duration requestTimeout;

	private final Duration closeTimeout;

	private final BlockingQueue<EyeEvent> buffer;

	private final Thread sender;

	private final AtomicLong enqueued = new AtomicLong();

	private final AtomicLong completed = new AtomicLong();

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong retried = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private volatile @Nullable String lastFailure;

	private final Object progress = new Object();

	private volatile boolean flushRequested;

	private volatile boolean closed;

	private EyeClient(Builder builder) {
		String base = builder.baseUrl.toString();
		this.eventsUri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v1/events");
		this.authorization = "Bearer " + builder.apiKey;
		this.http = builder.httpClient != null ? builder.httpClient
				: HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		this.batchSize = builder.batchSize;
		this.linger = builder.linger;
		this.maxAttempts = builder.maxAttempts;
		this.initialBackoff = builder.initialBackoff;
		this.maxBackoff = builder.maxBackoff;
		this.requestTimeout = builder.requestTimeout;
		this.closeTimeout = builder.closeTimeout;
		this.buffer = new ArrayBlockingQueue<>(builder.bufferCapacity);
		this.sender = Thread.ofPlatform().daemon().name("eye-client-sender").start(this::run);
	}

	public static Builder builder(URI baseUrl, String apiKey) {
		return new Builder(baseUrl, apiKey);
	}

	/**
	 * Buffers the event for sending; never blocks. False when it was dropped because the buffer is full or the
	 * client is closed.
	 */
	public boolean send(EyeEvent event) {
		Objects.requireNonNull(event, "event");
		if (closed || !buffer.offer(event)) {
			dropped.incrementAndGet();
			return false;
		}
		enqueued.incrementAndGet();
		return true;
	}

	/** Waits until every event accepted by {@link #send} before this call is delivered or given up. */
	public boolean flush(Duration timeout) throws InterruptedException {
		long target = enqueued.get();
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (progress) {
			while (completed.get() < target) {
				flushRequested = true;
				progress.notifyAll();
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(progress, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
			}
		}
		return true;
	}

	/** {@link #flush(Duration)} without a time limit. */
	public void flush() throws InterruptedException {
		while (!flush(Duration.ofMinutes(1))) {
			// keep waiting
		}
	}

	/** Stops taking events, sends what is buffered (up to {@code closeTimeout}) and stops the sender. */
	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		try {
			flush(closeTimeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		sender.interrupt();
		try {
			sender.join(5_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// Whatever could not be delivered within closeTimeout is lost with the process: count it.
		int left = buffer.size();
		if (left > 0) {
			giveUp(left, left + " events still buffered when close() gave up after " + closeTimeout);
		}
		buffer.clear();
	}

	/** Counters since the client was built. */
	public Metrics metrics() {
		return new Metrics(sent.get(), dropped.get(), retried.get(), failed.get(), buffer.size(), lastFailure);
	}

	/**
	 * @param sent events the server accepted (202)
	 * @param dropped events refused by {@link #send} because the buffer was full or the client closed
	 * @param retried retries of a batch after a network error, 5xx or 429
	 * @param failed events given up: refused by the server for good, answered in a way the client does not
	 * understand, or still failing after every attempt
	 * @param buffered events waiting in the buffer now
	 * @param lastFailure why the last events counted in {@code failed} were given up (the status and the server's
	 * problem), null while none were
	 */
	public record Metrics(long sent, long dropped, long retried, long failed, int buffered, @Nullable String lastFailure) {
	}

	private void run() {
		List<EyeEvent> batch = new ArrayList<>(batchSize);
		while (!Thread.currentThread().isInterrupted()) {
			try {
				EyeEvent first = buffer.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				long deadline = System.nanoTime() + linger.toNanos();
				while (batch.size() < batchSize) {
					if (buffer.drainTo(batch, batchSize - batch.size()) > 0) {
						continue;
					}
					long left = deadline - System.nanoTime();
					if (left <= 0 || flushRequested || closed) {
						break;
					}
					EyeEvent next = buffer.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)), TimeUnit.NANOSECONDS);
					if (next != null) {
						batch.add(next);
					}
				}
				deliver(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				if (!batch.isEmpty()) {
					completed.addAndGet(batch.size());
					batch.clear();
				}
				if (buffer.isEmpty()) {
					flushRequested = false;
				}
				synchronized (progress) {
					progress.notifyAll();
				}
			}
		}
	}

	private void deliver(List<EyeEvent> batch) throws InterruptedException {
		byte[] body = JSON.writeValueAsBytes(batch.stream().map(EyeClient::envelope).toList());
		HttpRequest request = HttpRequest.newBuilder(eventsUri)
			.timeout(requestTimeout)
			.header("Authorization", authorization)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		for (int attempt = 1;; attempt++) {
			Duration retryAfter = null;
			String problem;
			try {
				HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
				int status = response.statusCode();
				if (status == 202) {
					sent.addAndGet(batch.size());
					return;
				}
				problem = "HTTP " + status + ": " + response.body();
				if (!retryable(status)) {
					// Anything but 202 is not a delivery: never count it as sent, nor drop it without a reason.
					giveUp(batch.size(), "The Eye refused " + batch.size() + " events: " + problem);
					return;
				}
				retryAfter = response.headers().firstValue("Retry-After").flatMap(EyeClient::seconds).orElse(null);
			}
			catch (IOException ex) {
				problem = ex.toString();
			}
			catch (InterruptedException ex) {
				giveUp(batch.size(), "Interrupted while sending " + batch.size() + " events");
				throw ex;
			}
			if (attempt >= maxAttempts) {
				giveUp(batch.size(), "Giving up on " + batch.size() + " events after " + attempt + " attempts: " + problem);
				return;
			}
			retried.incrementAndGet();
			try {
				Thread.sleep(backoff(attempt, retryAfter).toMillis());
			}
			catch (InterruptedException ex) {
				giveUp(batch.size(), "Interrupted before retrying " + batch.size() + " events: " + problem);
				throw ex;
			}
		}
	}

	/** Worth sending again: the server was overloaded, unavailable or timed out; ids make a repeat harmless. */
	private static boolean retryable(int status) {
		return status >= 500 || status == 429 || status == 408;
	}

	private void giveUp(int events, String reason) {
		lastFailure = reason;
		failed.addAndGet(events);
		log.log(System.Logger.Level.WARNING, reason);
	}

	/** Full jitter: a random wait up to the exponential step, but never less than the server's Retry-After. */
	Duration backoff(int attempt, @Nullable Duration retryAfter) {
		long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(20, attempt - 1));
		long wait = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
		if (retryAfter != null) {
			wait = Math.max(wait, retryAfter.toMillis());
		}
		return Duration.ofMillis(wait);
	}

	private static java.util.Optional<Duration> seconds(String header) {
		try {
			return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
		}
		catch (NumberFormatException ex) {
			return java.util.Optional.empty();
		}
	}

	private static Map<String, Object> envelope(EyeEvent event) {
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("id", event.id().toString());
		envelope.put("session_id", event.sessionId().toString());
		envelope.put("category", event.category());
		envelope.put("name", event.name());
		envelope.put("timestamp", event.timestamp().toString());
		envelope.put("data", event.data());
		return envelope;
	}

	/** Settings; every one has a default fit for a web application sending a few hundred events a second. */
	public static final class Builder {

		private final URI baseUrl;

		private final String apiKey;

		private @Nullable HttpClient httpClient;

		private int batchSize = 100;

		private Duration linger = Duration.ofMillis(50);

		private int bufferCapacity = 10_000;

		private int maxAttempts = 8;

		private Duration initialBackoff = Duration.ofMillis(100);

		private Duration maxBackoff = Duration.ofSeconds(10);

		private Duration requestTimeout = Duration.ofSeconds(10);

		private Duration closeTimeout = Duration.ofSeconds(30);

		private Builder(URI baseUrl, String apiKey) {
			this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
			this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
		}

		/** Events per request, 1 to 500 (the server's limit). Default 100. */
		public Builder batchSize(int batchSize) {
			if (batchSize < 1 || batchSize > 500) {
				throw new IllegalArgumentException("batchSize must be 1 to 500");
			}
			this.batchSize = batchSize;
			return this;
		}

		/** Longest wait for a batch to fill before it is sent anyway. Default 50 ms. */
		public Builder linger(Duration linger) {
			this.linger = linger;
			return this;
		}

		/** Events held in memory; past it {@link EyeClient#send} drops the new event. Default 10,000. */
		public Builder bufferCapacity(int bufferCapacity) {
			this.bufferCapacity = bufferCapacity;
			return this;
		}

		/** Attempts per batch, the first included. Default 8. */
		public Builder maxAttempts(int maxAttempts) {
			this.maxAttempts = Math.max(1, maxAttempts);
			return this;
		}

		/** First retry waits up to this, doubling each time up to {@code maxBackoff}. Defaults 100 ms and 10 s. */
		public Builder backoff(Duration initial, Duration max) {
			this.initialBackoff = initial;
			this.maxBackoff = max;
			return this;
		}

		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
			return this;
		}

		/** How long {@link EyeClient#close()} tries to deliver what is buffered. Default 30 s. */
		public Builder closeTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
			return this;
		}

		public Builder httpClient(HttpClient httpClient) {
			this.httpClient = httpClient;
			return this;
		}

		public EyeClient build() {
			return new EyeClient(this);
		}
	}
}
