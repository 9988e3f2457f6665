package io.walleye.support;

import java.util.List;
import java.util.UUID;

import kafka.server.BrokerServer;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * One real Kafka broker (KRaft, in this JVM) for the whole test run, started with the first test context. Every
 * context gets Kafka configured next to the default PostgreSQL transport, so one context runs The Eye's scenarios on
 * both ({@code io.walleye.eye.intake.Transports#use}). Registered in the tests' META-INF/spring.factories.
 */
public class TestKafka implements ContextCustomizerFactory {

	private static EmbeddedKafkaKraftBroker broker;

	/** The JVM's broker, started on first use. */
	public static synchronized EmbeddedKafkaKraftBroker broker() {
		if (broker == null) {
			EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 1);
			started.brokerProperty("group.initial.rebalance.delay.ms", 0);
			started.afterPropertiesSet();
			Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "test-kafka-stop"));
			broker = started;
		}
		return broker;
	}

	/** Stops the broker process's server (its port stays reserved), as a crash would. */
	public static void stopBroker() {
		server().shutdown();
		server().awaitShutdown();
	}

	/** Starts it again on the same port and log directory. */
	public static void startBroker() {
		server().startup();
	}

	private static BrokerServer server() {
		return broker().getCluster().brokers().values().iterator().next();
	}

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new Customizer();
	}

	private static final class Customizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			// A topic and a consumer group of its own: the contexts share the broker, and a consumer of another (cached,
			// perhaps paused) context in the same group would be assigned partitions of this one and store its events
			// in that context's database (seen: QueryIntegrationTests waiting 20 s for an event stored elsewhere).
			String own = UUID.randomUUID().toString();
			TestPropertyValues.of("spring.kafka.bootstrap-servers=" + broker().getBrokersAsString(),
					"walleye.eye.kafka.enabled=true", "walleye.eye.kafka.partitions=4",
					"walleye.eye.kafka.send-timeout=3s", "walleye.eye.kafka.topic=walleye.eye.events." + own,
					"walleye.eye.kafka.consumer-group=walleye-eye-workers-" + own)
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
