package io.walleye.eye.intake;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

import io.walleye.eye.Backlog;
import io.walleye.eye.EyeProperties;
import io.walleye.eye.EyeProperties.Transport;

/**
 * The intake the rest of The Eye sees: the API submits to the transport {@code walleye.eye.transport} names, while the
 * workers drain the PostgreSQL intake and, when Kafka is configured, consume the topic too, so that events left on
 * either after a switch are still filed. The backlog is what waits on both.
 */
@Component
@Primary
public class Transports implements EventIntake {

	private final PostgresEventIntake postgres;

	private final @Nullable KafkaEventIntake kafka;

	private volatile Transport active;

	Transports(PostgresEventIntake postgres, ObjectProvider<KafkaEventIntake> kafka, EyeProperties properties) {
		this.postgres = postgres;
		this.kafka = kafka.getIfAvailable();
		this.active = properties.transport();
		if (active == Transport.KAFKA && this.kafka == null) {
			throw new IllegalStateException("walleye.eye.transport=kafka but the Kafka intake is not configured");
		}
	}

	public Transport active() {
		return active;
	}

	/** Switches the transport new requests go to (tests run the same scenarios on both; one process, one switch). */
	public void use(Transport transport) {
		if (transport == Transport.KAFKA && kafka == null) {
			throw new IllegalStateException("Kafka is not configured in this process");
		}
		this.active = transport;
	}

	@Override
	public void submit(List<QueuedEvent> events) {
		(active == Transport.KAFKA && kafka != null ? kafka : postgres).submit(events);
	}

	@Override
	public int drain(int max, Consumer<List<QueuedEvent>> handler) {
		return postgres.drain(max, handler);
	}

	@Override
	public Backlog backlog() {
		Backlog table = postgres.backlog();
		if (kafka == null) {
			return table;
		}
		Backlog topic = kafka.backlog();
		Duration age = table.age().compareTo(topic.age()) >= 0 ? table.age() : topic.age();
		return new Backlog(table.size() + topic.size(), age);
	}

	@Override
	public Listening listen(int threads, Consumer<List<QueuedEvent>> handler) {
		return kafka == null ? Listening.NONE : kafka.listen(threads, handler);
	}
}
