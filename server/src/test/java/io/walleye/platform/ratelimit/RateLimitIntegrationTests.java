package io.walleye.platform.ratelimit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Limits over HTTP with small quotas, in a context of its own (the shared one has limits no test reaches), counted in
 * PostgreSQL as a cluster would. Anonymous requests leave from their own loopback addresses (127.0.0.x), so each test
 * has a client address to itself.
 */
@WalleyeIntegrationTest
@TestPropertySource(properties = { "walleye.rate-limit.store=postgres", "walleye.rate-limit.per-key.customer=3/1m",
		"walleye.rate-limit.per-key.business=0", "walleye.rate-limit.per-key.operator=1000/1s",
		"walleye.rate-limit.per-address=5/1m" })
class RateLimitIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	RateLimits limits;

	@Autowired
	RateLimitProperties properties;

	@Autowired
	DataSource dataSource;

	@Test
	void aKeyPastItsQuotaIsRefusedWithRetryAfterAndRateLimitHeaders() {
		String key = registerCustomer();
		for (int remaining = 2; remaining >= 0; remaining--) {
			Response allowed = api.get("/api/v1/wallets").bearer(key).send();
			assertThat(allowed.status()).isEqualTo(200);
			assertThat(allowed.header("RateLimit-Policy")).hasValue("\"customer\";q=3;w=60");
			assertThat(allowed.header("RateLimit").orElseThrow()).startsWith("\"customer\";r=" + remaining + ";t=");
			assertThat(allowed.header("Retry-After")).isEmpty();
		}

		Response refused = api.get("/api/v1/wallets").bearer(key).send();
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.json().get("code").asString()).isEqualTo("rate_limited");
		assertThat(Long.parseLong(refused.header("Retry-After").orElseThrow())).isBetween(1L, 20L);
		assertThat(refused.header("RateLimit-Policy")).hasValue("\"customer\";q=3;w=60");
		assertThat(refused.header("RateLimit")).hasValueSatisfying(value -> assertThat(value).startsWith("\"customer\";r=0;t="));
	}

	@Test
	void everyKeyHasItsOwnBucketAndZeroMeansUnlimited() {
		String spent = registerCustomer();
		for (int i = 0; i < 4; i++) {
			api.get("/api/v1/wallets").bearer(spent).send();
		}
		assertThat(api.get("/api/v1/wallets").bearer(spent).send().status()).isEqualTo(429);
		assertThat(api.get("/api/v1/wallets").bearer(registerCustomer()).send().status()).isEqualTo(200);

		String business = register("businesses", "127.0.0.1").json().get("api_key").asString();
		for (int i = 0; i < 10; i++) {
			Response response = api.get("/api/v1/wallets").bearer(business).send();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.header("RateLimit")).isEmpty();
		}
	}

	@Test
	void registrationIsLimitedPerClientAddress() {
		for (int i = 0; i < 5; i++) {
			assertThat(register("customers", "127.0.0.2").status()).isEqualTo(201);
		}
		Response refused = register("customers", "127.0.0.2");
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.body()).contains("\"code\":\"rate_limited\"").doesNotContain("api_key");
		assertThat(refused.header("RateLimit-Policy")).hasValue("\"address\";q=5;w=60");
		assertThat(register("businesses", "127.0.0.2").status()).isEqualTo(429);
		// another client is not held back by the first
		assertThat(register("customers", "127.0.0.3").status()).isEqualTo(201);
	}

	@Test
	void signInIsLimitedPerClientAddressWhateverTheUsername() {
		for (int i = 0; i < 5; i++) {
			assertThat(send("127.0.0.4", "/api/v1/auth/login",
					"{\"username\":\"nobody-" + UUID.randomUUID() + "\",\"password\":\"wrong-password-1\"}").status())
				.isEqualTo(401);
		}
		Response refused = send("127.0.0.4", "/api/v1/auth/login",
				"{\"username\":\"admin\",\"password\":\"" + TestApi.ADMIN_PASSWORD + "\"}");
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("Retry-After")).isPresent();
	}

	@Test
	void nodesSharingTheDatabaseShareOneBudget() {
		RateLimits otherNode = new RateLimits(properties, TimeMeter.SYSTEM_MILLISECONDS, dataSource);
		String key = "shared-" + UUID.randomUUID();
		Quota quota = Quota.valueOf("3/1m");
		assertThat(limits.tryConsume(key, "customer", quota).allowed()).isTrue();
		assertThat(otherNode.tryConsume(key, "customer", quota).allowed()).isTrue();
		assertThat(limits.tryConsume(key, "customer", quota).allowed()).isTrue();
		assertThat(otherNode.tryConsume(key, "customer", quota).allowed()).isFalse();
		assertThat(limits.tryConsume(key, "customer", quota).allowed()).isFalse();
		assertThat(JdbcClient.create(dataSource)
			.sql("select count(*) from rate_limit_buckets where id like :key")
			.param("key", "%" + key)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	private String registerCustomer() {
		Response response = register("customers", "127.0.0.1");
		assertThat(response.status()).isEqualTo(201);
		return response.json().get("api_key").asString();
	}

	private Response register(String kind, String from) {
		return send(from, "/api/v1/" + kind,
				TestApi.json().writeValueAsString(Map.of("name", "limits", "email", UUID.randomUUID() + "@example.test")));
	}

	/** A POST from a chosen loopback address, checked against the API document like every TestApi exchange. */
	private Response send(String from, String path, String body) {
		try (HttpClient client = HttpClient.newBuilder()
			.localAddress(InetAddress.getByName(from))
			.connectTimeout(Duration.ofSeconds(5))
			.build()) {
			HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
			Response answer = new Response(response.statusCode(), response.headers().map(), response.body());
			api.contract().check("POST", path, Map.of("Content-Type", "application/json"), body, answer);
			return answer;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}
}
