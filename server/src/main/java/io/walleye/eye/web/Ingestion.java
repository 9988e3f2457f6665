package io.walleye.eye.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

import io.walleye.eye.EyeProperties;
import io.walleye.eye.intake.BacklogMonitor;
import io.walleye.eye.intake.EventIntake;
import io.walleye.eye.intake.QueuedEvent;
import io.walleye.platform.ApiException;

/**
 * The one path from a request body to durable events, whichever endpoint received it (secret keys, browsers): the
 * backlog's back-pressure, the body's size limit, the envelope checks, the intake and the accepted count.
 */
@Component
class Ingestion {

	private final EventIntake intake;

	private final BacklogMonitor backlog;

	private final EyeProperties properties;

	private final Counter accepted;

	Ingestion(EventIntake intake, BacklogMonitor backlog, EyeProperties properties, MeterRegistry meters) {
		this.intake = intake;
		this.backlog = backlog;
		this.properties = properties;
		this.accepted = Counter.builder("eye.events.accepted")
			.description("Events accepted (durable in the intake)")
			.register(meters);
	}

	record Accepted(int accepted, List<UUID> ids) {
	}

	/** Refuses with 429 while the worker is behind past the backlog's bound. */
	void requireRoom() {
		if (backlog.overloaded()) {
			Duration age = backlog.current().age();
			throw ApiException.tooManyRequests("backlog_full",
					"The worker is behind; retry after the time in Retry-After",
					Math.min(30, Math.max(1, age.toSeconds() / 10)));
		}
	}

	/** The request body, refused with 413 past {@code walleye.eye.max-request-size}. */
	byte[] read(HttpServletRequest request) throws IOException {
		long max = properties.maxRequestSize().toBytes();
		if (request.getContentLengthLong() > max) {
			throw tooLarge(max);
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes((int) max + 1);
			if (body.length > max) {
				throw tooLarge(max);
			}
			return body;
		}
	}

	/** Parses the body into events (any envelope error refuses all) and returns once they are durable. */
	Accepted accept(byte[] body, Function<byte[], List<QueuedEvent>> parse) {
		List<QueuedEvent> events = parse.apply(body);
		intake.submit(events);
		accepted.increment(events.size());
		return new Accepted(events.size(), events.stream().map(QueuedEvent::id).toList());
	}

	private static ApiException tooLarge(long max) {
		return ApiException.payloadTooLarge("content_too_large", "The request body may not exceed " + max + " bytes");
	}
}
