package io.walleye.eye.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The client against a JDK HttpServer standing in for The Eye: statuses scripted per request. */
class EyeClientTests {

	/** Reads floats as BigDecimal, so that a digit the client lost would show. */
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(tools.jackson.databind.cfg.JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.disable(tools.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
		.build();

	private HttpServer server;

	private final ConcurrentLinkedQueue<JsonNode> bodies = new ConcurrentLinkedQueue<>();

	private final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());

	private final AtomicInteger requests = new AtomicInteger();

	private volatile CountDownLatch gate = new CountDownLatch(0);

	private URI start(IntUnaryOperator statusOfRequest, String retryAfter) throws IOException {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/api/v1/events", exchange -> handle(exchange, statusOfRequest, retryAfter));
		server.start();
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
	}

	private void handle(HttpExchange exchange, IntUnaryOperator statusOfRequest, String retryAfter) throws IOException {
		try {
			gate.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		int n = requests.incrementAndGet();
		arrivals.add(System.nanoTime());
		JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
		assertThat(exchange.getRequestHeaders().getFirst("Authorization")).isEqualTo("Bearer wk_test");
		int status = statusOfRequest.applyAsInt(n);
		if (status == 202) {
			bodies.add(body);
		}
		if (retryAfter != null && status == 429) {
			exchange.getResponseHeaders().add("Retry-After", retryAfter);
		}
		byte[] response = "{}".getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, response.length);
		exchange.getResponseBody().write(response);
		exchange.close();
	}

	@AfterEach
	void stop() {
		if (server != null) {
			server.stop(0);
		}
	}

	private static EyeEvent pageview() {
		return EyeEvent.of(UUID.randomUUID(), "page interaction", "pageview", Map.of("host", "h", "path", "/"));
	}

	private List<String> deliveredIds() {
		List<String> ids = new ArrayList<>();
		bodies.forEach(batch -> batch.forEach(event -> ids.add(event.get("id").asString())));
		return ids;
	}

	@Test
	void eventsAreSentInBatchesOfTheConfiguredSize() throws Exception {
		URI base = start(n -> 202, null);
		gate = new CountDownLatch(1);
		try (EyeClient client = EyeClient.builder(base, "wk_test").batchSize(100).linger(Duration.ofMillis(200))
			.build()) {
			for (int i = 0; i < 250; i++) {
				assertThat(client.send(pageview())).isTrue();
			}
			gate.countDown();
			client.flush();
			assertThat(client.metrics().sent()).isEqualTo(250);
		}
		List<Integer> sizes = new ArrayList<>();
		bodies.forEach(batch -> sizes.add(batch.size()));
		assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(250);
		assertThat(sizes).allMatch(size -> size <= 100);
		assertThat(sizes.size()).isLessThanOrEqualTo(4);
	}

	@Test
	void aLoneEventLeavesAfterTheLinger() throws Exception {
		URI base = start(n -> 202, null);
		try (EyeClient client = EyeClient.builder(base, "wk_test").linger(Duration.ofMillis(20)).build()) {
			client.send(pageview());
			long deadline = System.currentTimeMillis() + 5_000;
			while (client.metrics().sent() == 0 && System.currentTimeMillis() < deadline) {
				Thread.sleep(10);
			}
			assertThat(client.metrics().sent()).isEqualTo(1);
		}
	}

	@Test
	void serverErrorsAndNetworkTroubleAreRetriedWithTheSameIds() throws Exception {
		URI base = start(n -> n <= 2 ? 503 : 202, null);
		EyeEvent event = pageview();
		try (EyeClient client = EyeClient.builder(base, "wk_test")
			.backoff(Duration.ofMillis(10), Duration.ofMillis(50))
			.build()) {
			client.send(event);
			client.flush();
			assertThat(client.metrics().retried()).isEqualTo(2);
			assertThat(client.metrics().sent()).isEqualTo(1);
		}
		assertThat(deliveredIds()).containsExactly(event.id().toString());
	}

	@Test
	void tooManyRequestsWaitsAtLeastRetryAfter() throws Exception {
		URI base = start(n -> n == 1 ? 429 : 202, "1");
		try (EyeClient client = EyeClient.builder(base, "wk_test")
			.backoff(Duration.ofMillis(10), Duration.ofMillis(50))
			.build()) {
			client.send(pageview());
			client.flush();
			assertThat(client.metrics().sent()).isEqualTo(1);
		}
		assertThat(arrivals).hasSize(2);
		assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(950));
	}

	@Test
	void aRefusedBatchIsNotRetriedAndCountsAsFailed() throws Exception {
		URI base = start(n -> 400, null);
		try (EyeClient client = EyeClient.builder(base, "wk_test").build()) {
			client.send(pageview());
			client.flush();
			assertThat(client.metrics().failed()).isEqualTo(1);
			assertThat(client.metrics().retried()).isZero();
		}
		assertThat(requests.get()).isEqualTo(1);
	}

	@Test
	void anAnswerTheClientDoesNotUnderstandCountsAsFailedWithTheReason() throws Exception {
		URI base = start(n -> n == 1 ? 409 : 200, null);
		try (EyeClient client = EyeClient.builder(base, "wk_test").batchSize(1).build()) {
			client.send(pageview());
			client.flush();
			assertThat(client.metrics().failed()).isEqualTo(1);
			assertThat(client.metrics().lastFailure()).contains("HTTP 409");
			client.send(pageview());
			client.flush();
			assertThat(client.metrics().failed()).isEqualTo(2);
			assertThat(client.metrics().sent()).isZero();
			assertThat(client.metrics().lastFailure()).contains("HTTP 200");
		}
	}

	@Test
	void bigDecimalsAreSentWithEveryDigit() throws Exception {
		URI base = start(n -> 202, null);
		try (EyeClient client = EyeClient.builder(base, "wk_test").build()) {
			client.send(EyeEvent.of(UUID.randomUUID(), "shop", "checkout",
					Map.of("total", new java.math.BigDecimal("12345678.123456789"))));
			client.flush();
		}
		assertThat(bodies.peek().get(0).get("data").get("total").decimalValue())
			.isEqualTo(new java.math.BigDecimal("12345678.123456789"));
	}

	@Test
	void aFullBufferDropsTheNewEventAndCountsIt() throws Exception {
		URI base = start(n -> 202, null);
		gate = new CountDownLatch(1);
		try (EyeClient client = EyeClient.builder(base, "wk_test").bufferCapacity(10).batchSize(5).build()) {
			int accepted = 0;
			for (int i = 0; i < 100; i++) {
				if (client.send(pageview())) {
					accepted++;
				}
			}
			assertThat(client.metrics().dropped()).isEqualTo(100 - accepted);
			assertThat(accepted).isLessThan(100);
			gate.countDown();
			client.flush();
			assertThat(client.metrics().sent()).isEqualTo(accepted);
		}
	}

	@Test
	void closeDrainsTheBufferAndRefusesLaterEvents() throws Exception {
		URI base = start(n -> 202, null);
		EyeClient client = EyeClient.builder(base, "wk_test").linger(Duration.ofSeconds(5)).build();
		for (int i = 0; i < 42; i++) {
			client.send(pageview());
		}
		client.close();
		assertThat(client.metrics().sent()).isEqualTo(42);
		assertThat(deliveredIds()).hasSize(42);
		assertThat(client.send(pageview())).isFalse();
		assertThat(client.metrics().dropped()).isEqualTo(1);
	}

	@Test
	void backoffGrowsExponentiallyWithinItsCap() throws Exception {
		URI base = start(n -> 202, null);
		try (EyeClient client = EyeClient.builder(base, "wk_test")
			.backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
			.build()) {
			for (int i = 0; i < 50; i++) {
				assertThat(client.backoff(1, null).toMillis()).isBetween(50L, 100L);
				assertThat(client.backoff(3, null).toMillis()).isBetween(200L, 400L);
				assertThat(client.backoff(10, null).toMillis()).isBetween(500L, 1000L);
				assertThat(client.backoff(1, Duration.ofSeconds(3)).toMillis()).isEqualTo(3000L);
			}
		}
	}
}
