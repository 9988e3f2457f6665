package io.walleye.identity;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /actuator/prometheus} opens to an operator's access token or the scrape token, and to nobody else. */
@WalleyeIntegrationTest
class MetricsAccessIntegrationTests {

	/** {@code walleye.metrics.token} of {@link WalleyeIntegrationTest}. */
	static final String METRICS_TOKEN = "test-metrics-token";

	@Autowired
	TestApi api;

	@Test
	void withoutCredentialsPrometheusIs401() {
		Response response = api.get("/actuator/prometheus").send();

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo("unauthorized");
		assertThat(response.body()).doesNotContain("http_server_requests");
	}

	@Test
	void theScrapeTokenReadsPrometheus() {
		// A request completed first: run alone, in a fresh context, this could be the first one.
		api.get("/actuator/health").send();
		Response response = api.get("/actuator/prometheus").bearer(METRICS_TOKEN).send();

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).contains("http_server_requests_seconds");
	}

	@Test
	void anOperatorReadsPrometheus() {
		assertThat(api.get("/actuator/prometheus").asAdmin().send().status()).isEqualTo(200);
	}

	@Test
	void anApiKeyIsForbidden() {
		String key = api.post("/api/v1/test-keys/application").asAdmin().send().json().get("key").asString();

		Response response = api.get("/actuator/prometheus").bearer(key).send();

		assertThat(response.status()).isEqualTo(403);
		assertThat(response.json().get("code").asString()).isEqualTo("forbidden");
	}

	@Test
	void aWrongScrapeTokenIs401() {
		assertThat(api.get("/actuator/prometheus").bearer(METRICS_TOKEN + "x").send().status()).isEqualTo(401);
	}

	@Test
	void theScrapeTokenOpensNothingElse() {
		assertThat(api.get("/actuator/metrics").bearer(METRICS_TOKEN).send().status()).isEqualTo(401);
		assertThat(api.get("/api/v1/auth/me").bearer(METRICS_TOKEN).send().status()).isEqualTo(401);
	}
}
