package io.walleye.eye;

import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.eye.EyeFixtures.App;
import io.walleye.eye.EyeProperties.Transport;
import io.walleye.eye.intake.EventIntake;
import io.walleye.eye.intake.Transports;
import io.walleye.eye.persistence.EventStore;
import io.walleye.support.TestApi;
import io.walleye.support.TestKafka;
import io.walleye.support.WalleyeIntegrationTest;

import static io.walleye.eye.EyeFixtures.application;
import static io.walleye.eye.EyeFixtures.failed;
import static io.walleye.eye.EyeFixtures.ids;
import static io.walleye.eye.EyeFixtures.pageview;
import static io.walleye.eye.EyeFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only the Kafka transport has: a broker that goes away, a consumer group whose members come and go, and records
 * on the topic that are not events at all.
 */
@WalleyeIntegrationTest
class KafkaTransportIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	Transports transports;

	@Autowired
	EventStore store;

	@Autowired
	JdbcClient jdbc;

	@Value("${walleye.eye.kafka.topic}")
	String topic;

	@Value("${walleye.eye.kafka.partitions}")
	int partitions;

	@Autowired
	Environment environment;

	@BeforeEach
	void useKafka() {
		transports.use(Transport.KAFKA);
		awaitWorkersHoldEveryPartition();
	}

	private void awaitWorkersHoldEveryPartition() {
		TestKafka.awaitWorkersHoldEveryPartition(environment);
	}

	@AfterEach
	void useDefault() {
		transports.use(Transport.POSTGRES);
	}

	@Test
	void withTheBrokerDownIngestionAnswers503AndRecoversWhenItIsBack() {
		App app = application(api, "kafka-down");
		TestKafka.stopBroker();
		try {
			TestApi.Response refused = api.post("/api/v1/events", pageview(UUID.randomUUID(), Instant.now()))
				.bearer(app.key())
				.send();
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.json().get("code").asString()).isEqualTo("transport_unavailable");
			assertThat(refused.header("Retry-After")).isPresent();
		}
		finally {
			TestKafka.startBroker();
		}
		// One event for every partition: recovered means every consumer of the group files again, not just one.
		List<Object> everyPartition = new ArrayList<>();
		Set<Integer> covered = new HashSet<>();
		while (covered.size() < partitions) {
			UUID session = UUID.randomUUID();
			if (covered.add(TestKafka.partitionOf(session.toString().getBytes(StandardCharsets.UTF_8), partitions))) {
				everyPartition.add(pageview(session, Instant.now()));
			}
		}
		List<UUID> accepted = new ArrayList<>();
		EyeFixtures.await(() -> {
			TestApi.Response retry = api.post("/api/v1/events", everyPartition).bearer(app.key()).send();
			if (retry.status() == 202) {
				accepted.addAll(ids(retry));
				return true;
			}
			return false;
		}, "a 202 once the broker is back");
		// The consumers find the restarted group coordinator on their own; that takes longer than a request.
		EyeFixtures.await(() -> accepted.stream()
			.allMatch(id -> api.get("/api/v1/events/" + id).asAdmin().send().status() == 200),
				"an event on every partition stored after the restart", java.time.Duration.ofSeconds(90));
		awaitWorkersHoldEveryPartition();
	}

	@Test
	void aSecondConsumerThatDiesMidBatchAndLeavesLosesAndDoublesNothing() {
		App app = application(api, "kafka-rebalance");
		AtomicBoolean killed = new AtomicBoolean();
		AtomicInteger batches = new AtomicInteger();
		// A second member of the worker group: it files like the worker, except that its first batch dies after the
		// rows are written and before the commit.
		EventIntake.Listening second = transports.listen(1, events -> {
			store.insertEvents(store.firstSeen(events), Instant.now());
			batches.incrementAndGet();
			if (killed.compareAndSet(false, true)) {
				throw new IllegalStateException("killed mid-batch");
			}
		});
		List<UUID> sent = new ArrayList<>();
		try {
			// Send until the second member has filed twice: how soon the group rebalances to give it partitions is
			// the broker's business (seconds on a busy machine), and events sent before that go to the worker alone.
			long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
			while (batches.get() < 2) {
				assertThat(System.nanoTime()).as("the second consumer to take part").isLessThan(deadline);
				List<Object> batch = new ArrayList<>();
				for (int i = 0; i < 100; i++) {
					batch.add(pageview(UUID.randomUUID(), Instant.now()));
				}
				TestApi.Response response = api.post("/api/v1/events", batch).bearer(app.key()).send();
				assertThat(response.status()).isEqualTo(202);
				sent.addAll(ids(response));
				try {
					Thread.sleep(200);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new AssertionError(ex);
				}
			}
		}
		finally {
			second.close();
		}
		awaitWorkersHoldEveryPartition();
		EyeFixtures.await(() -> count("count(*)", app.id()) == sent.size(), "every event stored");
		assertThat(killed).isTrue();
		assertThat(count("count(*)", app.id())).isEqualTo(sent.size());
		assertThat(count("count(distinct id)", app.id())).isEqualTo(sent.size());
	}

	@Test
	void aRecordThatCannotBeParsedFailsAsUnreadableAndTheEventsAfterItAreStored() throws Exception {
		App app = application(api, "kafka-unreadable");
		UUID session = UUID.randomUUID();
		byte[] key = session.toString().getBytes(StandardCharsets.UTF_8);
		RecordMetadata written;
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.broker().getBrokersAsString()),
				new ByteArraySerializer(), new ByteArraySerializer())) {
			// Same key as the event below: the same partition, so the event is behind the garbage in the log.
			written = producer.send(new ProducerRecord<>(topic, key, new byte[] { (byte) 0xff, 0, '{', 'x' }))
				.get(10, TimeUnit.SECONDS);
		}
		UUID after = ids(api.post("/api/v1/events", pageview(session, Instant.now())).bearer(app.key()).send())
			.getFirst();

		stored(api, after);
		UUID unreadable = UUID.nameUUIDFromBytes((written.topic() + "-" + written.partition() + "@" + written.offset())
			.getBytes(StandardCharsets.UTF_8));
		JsonNode failure = failed(api, unreadable);
		assertThat(failure.get("reason").asString()).isEqualTo("unreadable");
		assertThat(failure.get("messages").get(0).asString()).contains(written.topic() + "-" + written.partition());
	}

	private long count(String what, UUID application) {
		return jdbc.sql("select " + what + " from eye_events where application_id = :app")
			.param("app", application)
			.query(Long.class)
			.single();
	}
}
