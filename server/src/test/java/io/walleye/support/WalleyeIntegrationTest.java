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
				// small enough for BrowserIntakeIntegrationTests to reach, per key (each test makes its own key)
				"walleye.eye.browser.per-key=5", "walleye.eye.browser.per-address=30" })
@Import(TestApi.class)
@ExtendWith(OpenApiContractExtension.class)
public @interface WalleyeIntegrationTest {
}
