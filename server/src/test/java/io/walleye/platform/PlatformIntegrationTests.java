package io.walleye.platform;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

@WalleyeIntegrationTest
class PlatformIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Test
	void embeddedPostgresKeepsDurabilityOn() {
		for (String setting : new String[] { "fsync", "synchronous_commit", "full_page_writes" }) {
			assertThat(jdbc.sql("show " + setting).query(String.class).single()).as(setting).isEqualTo("on");
		}
	}

	@Test
	void healthIsUpWithLivenessAndReadiness() {
		assertThat(api.get("/actuator/health").send().json().get("status").asString()).isEqualTo("UP");
		assertThat(api.get("/actuator/health/liveness").send().json().get("status").asString()).isEqualTo("UP");
		Response readiness = api.get("/actuator/health/readiness").asAdmin().send();
		assertThat(readiness.json().get("status").asString()).isEqualTo("UP");
		assertThat(readiness.json().get("components").has("db")).isTrue();
	}

	@Test
	void prometheusExposesHttpMetrics() {
		api.get("/actuator/health").send();
		api.get("/api/v1/auth/me").asAdmin().send();
		Response metrics = api.get("/actuator/prometheus").asAdmin().send();
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("http_server_requests_seconds");
		// Spring Security observes nothing of its own (SecurityObservationSettings): no timers per filter or decision.
		assertThat(metrics.body()).doesNotContain("spring_security_");
	}

	@Test
	void openApiDocumentIsVersion30WithProblemResponses() {
		Response docs = api.get("/v3/api-docs").send();
		assertThat(docs.status()).isEqualTo(200);
		assertThat(docs.json().get("openapi").asString()).startsWith("3.0");
		var login = docs.json().get("paths").get("/api/v1/auth/login").get("post");
		assertThat(login.get("requestBody")).isNotNull();
		assertThat(login.get("responses").has("400")).isTrue();
		assertThat(login.get("responses").get("400").get("content").has("application/problem+json")).isTrue();
	}

	@Test
	void swaggerUiIsServed() {
		assertThat(api.get("/swagger-ui/index.html").send().status()).isEqualTo(200);
	}

	@Test
	void requestIdIsGeneratedWhenAbsent() {
		assertThat(api.get("/actuator/health").send().header("X-Request-Id")).hasValueSatisfying(
				id -> assertThat(id).hasSize(36));
	}
}
