package io.walleye.support;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
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

	/**
	 * Waits until the consumer group is stable and its members hold every partition of the topic: after a member
	 * joined or left, or the broker came back, the group rebalances, and a rebalance waits for every member the group
	 * last knew (one that left just before a broker stop is only dropped at its session timeout, 45 s).
	 */
	public static void awaitGroupHoldsEveryPartition(String group, String topic, int partitions, Duration patience) {
		long deadline = System.nanoTime() + patience.toNanos();
		String last = "not described yet";
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
				broker().getBrokersAsString(), AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
			while (System.nanoTime() < deadline) {
				try {
					ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
						.all()
						.get(5, TimeUnit.SECONDS)
						.get(group);
					Set<TopicPartition> held = new HashSet<>();
					for (MemberDescription member : description.members()) {
						held.addAll(member.assignment().topicPartitions());
					}
					if (description.groupState() == GroupState.STABLE
							&& held.stream().filter(p -> p.topic().equals(topic)).count() == partitions) {
						return;
					}
					last = description.groupState() + ", " + held.size() + " of " + partitions + " partitions held by "
							+ description.members().size() + " members";
				}
				catch (ExecutionException | TimeoutException ex) {
					last = ex.toString();
				}
				Thread.sleep(100);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		throw new AssertionError("consumer group " + group + " did not settle in " + patience + ": " + last);
	}

	/** {@link #awaitGroupHoldsEveryPartition} for the worker group and topic of the context with this environment. */
	public static void awaitWorkersHoldEveryPartition(Environment environment) {
		awaitGroupHoldsEveryPartition(environment.getRequiredProperty("walleye.eye.kafka.consumer-group"),
				environment.getRequiredProperty("walleye.eye.kafka.topic"),
				environment.getRequiredProperty("walleye.eye.kafka.partitions", Integer.class), Duration.ofSeconds(90));
	}

	/** The partition the producer's default partitioner puts a record with this key in. */
	public static int partitionOf(byte[] key, int partitions) {
		return Utils.toPositive(Utils.murmur2(key)) % partitions;
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
					"walleye.eye.kafka.consumer-group=walleye-eye-workers-" + own,
					// Tests stop and start the worker within milliseconds: a consumer closed during its first join
					// leaves a pending member that holds the group's next rebalance for a whole session timeout
					// (Kafka's default 45 s, seen in CI); the broker's minimum bounds that wait here.
					"spring.kafka.consumer.properties.session.timeout.ms=6000",
					"spring.kafka.consumer.properties.heartbeat.interval.ms=1000")
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
