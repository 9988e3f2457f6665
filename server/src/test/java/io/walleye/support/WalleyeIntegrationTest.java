package io.walleye.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole application on a random port over a throw-away embedded PostgreSQL. Every test class using it shares one
 * Spring context (and one database), so tests create their own data and never assume an empty table.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "walleye.embedded-postgres.ephemeral=true", "walleye.auth.admin-password=" + TestApi.ADMIN_PASSWORD,
				"walleye.metrics.token=test-metrics-token",
				// Webhooks to the tests' own receivers on 127.0.0.1, with a short timeout and retry schedule.
				"walleye.webhooks.allow-http=true", "walleye.webhooks.allow-private=true", "walleye.webhooks.timeout=2s",
				"walleye.webhooks.retry-schedule=300ms,600ms", "walleye.webhooks.lease=5s",
				"walleye.webhooks.worker.poll-interval=100ms",
				// limits on, but past what any test sends; RateLimitIntegrationTests has a context with small ones
				"walleye.rate-limit.per-key.customer=1000000/1s", "walleye.rate-limit.per-key.business=1000000/1s",
				"walleye.rate-limit.per-key.application=1000000/1s", "walleye.rate-limit.per-key.operator=1000000/1s",
				"walleye.rate-limit.per-address=1000000/1s",
				// small enough for BrowserIntakeIntegrationTests to reach, per key (each test makes its own key)
				"walleye.eye.browser.per-key=5", "walleye.eye.browser.per-address=30" })
@Import(TestApi.class)
@ExtendWith(OpenApiContractExtension.class)
public @interface WalleyeIntegrationTest {
}
