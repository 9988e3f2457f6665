package io.walleye.support;

import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Fails a test whose exchanges did not match the OpenAPI document ({@link OpenApiContract}); after each test, and
 * once more after the class for exchanges made outside a test method.
 */
public final class OpenApiContractExtension implements AfterEachCallback, AfterAllCallback {

	@Override
	public void afterEach(ExtensionContext context) {
		failOnViolations(context);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		failOnViolations(context);
	}

	private static void failOnViolations(ExtensionContext context) {
		List<String> violations = SpringExtension.getApplicationContext(context)
			.getBean(TestApi.class)
			.contract()
			.drain();
		if (!violations.isEmpty()) {
			throw new AssertionError("The server and its OpenAPI document (/v3/api-docs) disagree:\n  "
					+ String.join("\n  ", violations));
		}
	}
}
