package io.walleye.etl;

import java.util.List;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points every test context's ETL at the JVM's one {@link FakeGitHub} (this machine has no internet). Registered in
 * the tests' META-INF/spring.factories, so no test class has to declare it, and — since all customizers are equal —
 * the shared {@code @WalleyeIntegrationTest} context stays one context.
 */
public class FakeGitHubContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new Customizer();
	}

	private static final class Customizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			TestPropertyValues.of("walleye.etl.github-api-url=" + FakeGitHub.shared().url(),
					"walleye.etl.retry-base=100ms", "walleye.etl.poll-interval=200ms")
				.applyTo(context);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Customizer;
		}

		@Override
		public int hashCode() {
			return Customizer.class.hashCode();
		}
	}
}
