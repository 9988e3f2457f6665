package io.walleye.eye;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of The Eye ({@code walleye.eye.*}).
 *
 * @param maxRequestSize largest body of {@code POST /api/v1/events}
 * @param maxEventSize largest single event (envelope and data)
 * @param maxEventsPerRequest largest array of events in one request
 * @param maxBacklog events waiting for the worker past which ingestion answers 429
 * @param futureSkew how far in the future (by the server clock) an event's timestamp may be
 * @param unknownTypes what the worker does with an event whose category + name has no schema
 * @param intake group commit of the API: how long a request waits for others and how many events one commit takes
 * @param worker how many events a worker claims per transaction, how many worker threads, how long an idle worker
 * sleeps
 * @param transport where accepted events wait for the worker: the PostgreSQL intake table or a Kafka topic
 * @param kafka the Kafka transport's topic, partitions, replication and how long a request waits for the broker
 */
@ConfigurationProperties("walleye.eye")
public record EyeProperties(@DefaultValue("1MB") DataSize maxRequestSize, @DefaultValue("32KB") DataSize maxEventSize,
		@DefaultValue("500") int maxEventsPerRequest, @DefaultValue("1000000") long maxBacklog,
		@DefaultValue("5m") Duration futureSkew, @DefaultValue("accept") UnknownTypes unknownTypes,
		@DefaultValue Intake intake, @DefaultValue Worker worker, @DefaultValue("postgres") Transport transport,
		@DefaultValue Kafka kafka) {

	public enum Transport {
		POSTGRES, KAFKA
	}

	/**
	 * @param enabled connect to Kafka even when the transport is postgres (the workers then also consume the topic, to
	 * drain it after a switch back)
	 * @param sendTimeout the longest a request waits for the broker's acknowledgements before answering 503
	 */
	public record Kafka(@DefaultValue("false") boolean enabled, @DefaultValue("walleye.eye.events") String topic,
			@DefaultValue("12") int partitions, @DefaultValue("1") short replicationFactor,
			@DefaultValue("walleye-eye-workers") String consumerGroup, @DefaultValue("10s") Duration sendTimeout) {
	}

	public enum UnknownTypes {
		ACCEPT, REJECT
	}

	public record Intake(@DefaultValue("2ms") Duration linger, @DefaultValue("5000") int maxEventsPerCommit,
			@DefaultValue("2") int committers) {
	}

	public record Worker(@DefaultValue("true") boolean enabled, @DefaultValue("1000") int batchSize,
			@DefaultValue("2") int threads, @DefaultValue("50ms") Duration idleWait) {
	}
}
