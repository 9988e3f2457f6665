package io.walleye.eye.intake;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.FixedBackOff;

import io.walleye.eye.Backlog;
import io.walleye.eye.EyeProperties;
import io.walleye.eye.FailureReason;
import io.walleye.eye.persistence.EventStore;
import io.walleye.platform.ApiException;

/**
 * The intake as a Kafka topic: the API produces each accepted event keyed by its session (one session's events stay
 * ordered in one partition) and answers only once the broker has acknowledged every record of the request; workers
 * consume in a consumer group and commit offsets only after the PostgreSQL transaction that filed the batch, so a
 * crash or rebalance redelivers and the dedup on (application, id) files each event once.
 */
@Component
@ConditionalOnExpression("'${walleye.eye.transport:postgres}'.equalsIgnoreCase('kafka') or ${walleye.eye.kafka.enabled:false}")
class KafkaEventIntake implements EventIntake, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(KafkaEventIntake.class);

	private static final UUID NIL = new UUID(0, 0);

	/** How often the lag is asked of the broker; the backlog monitor asks several times a second. */
	private static final Duration LAG_REFRESH = Duration.ofSeconds(1);

	private final KafkaProperties kafka;

	private final EyeProperties.Kafka settings;

	private final EyeProperties.Worker worker;

	private final JsonMapper json;

	private final TransactionTemplate transactions;

	private final EventStore store;

	private final Clock clock;

	private final MeterRegistry meters;

	private final DefaultKafkaProducerFactory<byte[], byte[]> producers;

	private final KafkaTemplate<byte[], byte[]> template;

	private final Counter unreadable;

	private final Map<Integer, AtomicLong> partitionLag = new ConcurrentHashMap<>();

	private final AtomicLong totalLag = new AtomicLong();

	private volatile Instant lagMeasuredAt = Instant.EPOCH;

	private volatile boolean topicReady;

	private volatile boolean running;

	private @Nullable Admin admin;

	KafkaEventIntake(KafkaProperties kafka, EyeProperties properties, JsonMapper json, TransactionTemplate transactions,
			EventStore store, Clock clock, MeterRegistry meters) {
		this.kafka = kafka;
		this.settings = properties.kafka();
		this.worker = properties.worker();
		this.json = json;
		this.transactions = transactions;
		this.store = store;
		this.clock = clock;
		this.meters = meters;
		this.producers = new DefaultKafkaProducerFactory<>(producerProperties());
		this.template = new KafkaTemplate<>(producers);
		this.unreadable = Counter.builder("eye.events.failed")
			.tag("reason", FailureReason.UNREADABLE.code())
			.description("Events that failed validation, by reason")
			.register(meters);
		Gauge.builder("eye.kafka.lag", totalLag, AtomicLong::get)
			.description("Records on the topic not yet committed by the worker group")
			.register(meters);
	}

	/**
	 * spring.kafka.* (bootstrap servers, TLS, SASL) plus what the 202 promise needs: every in-sync replica acknowledges
	 * (acks=all), retries never duplicate or reorder (idempotence), and a delivery gives up within the request's wait.
	 * Compression, linger and batch size are defaults an operator may override with spring.kafka.producer.*.
	 */
	private Map<String, Object> producerProperties() {
		Map<String, Object> props = new HashMap<>(kafka.buildProducerProperties());
		props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		props.put(ProducerConfig.ACKS_CONFIG, "all");
		props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
		props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
		props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
		long timeout = settings.sendTimeout().toMillis();
		props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
		props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout / 2));
		props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
		return props;
	}

	private Map<String, Object> consumerProperties() {
		Map<String, Object> props = new HashMap<>(kafka.buildConsumerProperties());
		props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.consumerGroup());
		props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		// A new group starts at the beginning: events accepted before the first worker joined are not skipped.
		props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, worker.batchSize());
		props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		return props;
	}

	@Override
	public void submit(List<QueuedEvent> events) {
		if (events.isEmpty()) {
			return;
		}
		long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
		try {
			List<CompletableFuture<?>> sent = new ArrayList<>(events.size());
			for (QueuedEvent event : events) {
				sent.add(template.send(new ProducerRecord<>(settings.topic(),
						event.sessionId().toString().getBytes(StandardCharsets.UTF_8), encode(event))));
			}
			// No flush(): it would wait for every record in flight from every request thread, serialising the
			// requests behind one another; linger.ms bounds how long a record waits to join a batch.
			for (CompletableFuture<?> future : sent) {
				future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unavailable(ex);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			throw unavailable(ex);
		}
	}

	private static ApiException unavailable(Exception cause) {
		log.warn("Kafka did not acknowledge a request's events: {}", cause.toString());
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "transport_unavailable", "Service unavailable",
				"The event transport did not acknowledge the events in time; send the same events again "
						+ "(their ids make the retry safe)")
			.header("Retry-After", "5");
	}

	/** The record's value: the event as JSON, its data as a JSON string so that every number stays as sent. */
	byte[] encode(QueuedEvent event) {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("application_id", event.applicationId().toString());
		value.put("id", event.id().toString());
		value.put("session_id", event.sessionId().toString());
		value.put("category", event.category());
		value.put("name", event.name());
		value.put("timestamp", event.occurredAt().toString());
		value.put("data", event.data());
		value.put("received_at", event.receivedAt().toString());
		if (event.context() != null) {
			value.put("context", event.context());
		}
		return json.writeValueAsBytes(value);
	}

	/** The event in a record, or why it cannot be one. */
	QueuedEvent decode(byte[] value) {
		JsonNode node = json.readTree(value);
		String data = text(node, "data");
		json.readTree(data);
		QueuedEvent event = new QueuedEvent(UUID.fromString(text(node, "application_id")),
				UUID.fromString(text(node, "id")), UUID.fromString(text(node, "session_id")), text(node, "category"),
				text(node, "name"), Instant.parse(text(node, "timestamp")), data,
				Instant.parse(text(node, "received_at")));
		JsonNode context = node.get("context");
		if (context != null && context.isString()) {
			// what the browser intake added (origin, user agent), as JSON text like data
			json.readTree(context.asString());
			event = event.withContext(context.asString());
		}
		if ((event.category() + event.name() + data).indexOf('\u0000') >= 0 || data.contains("\\u0000")) {
			throw new IllegalArgumentException("holds a NUL character, which PostgreSQL cannot store");
		}
		return event;
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isString()) {
			throw new IllegalArgumentException("no text field '" + field + "'");
		}
		return value.asString();
	}

	/** An unparsable record as a failed event: an id derived from its place in the log, so a redelivery is one row. */
	private EventStore.Failure unreadable(ConsumerRecord<byte[], byte[]> record, Exception why) {
		String where = record.topic() + "-" + record.partition() + "@" + record.offset();
		UUID id = UUID.nameUUIDFromBytes(where.getBytes(StandardCharsets.UTF_8));
		String text = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
		Instant at = Instant.ofEpochMilli(record.timestamp());
		QueuedEvent placeholder = new QueuedEvent(NIL, id, NIL, "", "", at,
				json.writeValueAsString(text.replace("\u0000", "\uFFFD")), at);
		return new EventStore.Failure(placeholder, FailureReason.UNREADABLE,
				List.of("record " + where + " is not an event: " + why.getMessage()));
	}

	@Override
	public int drain(int max, Consumer<List<QueuedEvent>> handler) {
		return 0;
	}

	@Override
	public Listening listen(int threads, Consumer<List<QueuedEvent>> handler) {
		ensureTopic();
		ContainerProperties container = new ContainerProperties(settings.topic());
		container.setAckMode(ContainerProperties.AckMode.BATCH);
		container.setSyncCommits(true);
		container.setMessageListener((BatchMessageListener<byte[], byte[]>) records -> {
			List<QueuedEvent> events = new ArrayList<>(records.size());
			List<EventStore.Failure> failures = new ArrayList<>();
			for (ConsumerRecord<byte[], byte[]> record : records) {
				try {
					events.add(decode(record.value()));
				}
				catch (RuntimeException ex) {
					failures.add(unreadable(record, ex));
				}
			}
			// The offsets are committed by the container after this returns, i.e. after the commit.
			transactions.executeWithoutResult(status -> {
				store.insertFailures(failures, clock.instant());
				handler.accept(events);
			});
			unreadable.increment(failures.size());
		});
		ConcurrentMessageListenerContainer<byte[], byte[]> listener = new ConcurrentMessageListenerContainer<>(
				new DefaultKafkaConsumerFactory<>(consumerProperties()), container);
		listener.setConcurrency(Math.max(1, threads));
		// PostgreSQL down is waited out, never skipped: the batch is redelivered until it is filed.
		listener.setCommonErrorHandler(new DefaultErrorHandler(new FixedBackOff(1000, FixedBackOff.UNLIMITED_ATTEMPTS)));
		listener.setBeanName("eye-kafka-worker");
		listener.start();
		return new Listening() {
			@Override
			public void close() {
				listener.stop();
			}

			@Override
			public boolean alive() {
				return listener.isRunning();
			}
		};
	}

	/** The topic, created when missing with the configured partitions and replication factor. */
	private void ensureTopic() {
		if (topicReady) {
			return;
		}
		try {
			Set<String> names = admin().listTopics().names().get(10, TimeUnit.SECONDS);
			if (!names.contains(settings.topic())) {
				admin().createTopics(List.of(new NewTopic(settings.topic(), settings.partitions(),
						settings.replicationFactor())))
					.all()
					.get(10, TimeUnit.SECONDS);
				log.info("Created Kafka topic {} ({} partitions, replication factor {})", settings.topic(),
						settings.partitions(), settings.replicationFactor());
			}
			topicReady = true;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof TopicExistsException) {
				topicReady = true;
				return;
			}
			log.warn("Could not check or create Kafka topic {}: {}", settings.topic(), String.valueOf(ex.getCause()));
		}
		catch (TimeoutException ex) {
			log.warn("Could not check or create Kafka topic {}: the broker did not answer", settings.topic());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private synchronized Admin admin() {
		if (admin == null) {
			admin = Admin.create(kafka.buildAdminProperties());
		}
		return admin;
	}

	/**
	 * The worker group's lag: end offsets minus committed offsets, summed over the partitions. Asked of the broker at
	 * most once a second; the age of the oldest waiting record is not known without reading it, so it is zero.
	 */
	@Override
	public Backlog backlog() {
		Instant now = clock.instant();
		if (Duration.between(lagMeasuredAt, now).compareTo(LAG_REFRESH) >= 0 || now.isBefore(lagMeasuredAt)) {
			lagMeasuredAt = now;
			try {
				measureLag();
			}
			catch (ExecutionException | TimeoutException | RuntimeException ex) {
				log.debug("Kafka lag measurement failed: {}", ex.toString());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return new Backlog(totalLag.get(), Duration.ZERO);
	}

	private void measureLag() throws ExecutionException, InterruptedException, TimeoutException {
		ensureTopic();
		if (!topicReady) {
			return;
		}
		Map<TopicPartition, OffsetAndMetadata> committed = admin().listConsumerGroupOffsets(settings.consumerGroup())
			.partitionsToOffsetAndMetadata()
			.get(2, TimeUnit.SECONDS);
		Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
		for (int p = 0; p < partitions(); p++) {
			ends.put(new TopicPartition(settings.topic(), p), OffsetSpec.latest());
		}
		Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest = admin().listOffsets(ends)
			.all()
			.get(2, TimeUnit.SECONDS);
		long total = 0;
		for (var entry : latest.entrySet()) {
			OffsetAndMetadata done = committed.get(entry.getKey());
			long lag = Math.max(0, entry.getValue().offset() - (done == null ? 0 : done.offset()));
			total += lag;
			partitionLag(entry.getKey().partition()).set(lag);
		}
		totalLag.set(total);
	}

	private int partitions() throws ExecutionException, InterruptedException, TimeoutException {
		var description = admin().describeTopics(List.of(settings.topic()))
			.allTopicNames()
			.get(2, TimeUnit.SECONDS)
			.get(settings.topic());
		return description == null ? 0 : description.partitions().size();
	}

	private AtomicLong partitionLag(int partition) {
		return partitionLag.computeIfAbsent(partition, p -> {
			AtomicLong lag = new AtomicLong();
			Gauge.builder("eye.kafka.partition.lag", lag, AtomicLong::get)
				.tag("topic", settings.topic())
				.tag("partition", Integer.toString(p))
				.description("Records on one partition not yet committed by the worker group")
				.register(meters);
			return lag;
		});
	}

	@Override
	public void start() {
		running = true;
		ensureTopic();
	}

	@Override
	public void stop() {
		running = false;
		producers.destroy();
		synchronized (this) {
			if (admin != null) {
				admin.close(Duration.ofSeconds(2));
				admin = null;
			}
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stops after the web server, as the PostgreSQL intake does, so that requests in flight are still acknowledged. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}
}
