package io.walleye.eye.web;

import java.time.Instant;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;

import io.walleye.eye.EyeProperties;
import io.walleye.eye.intake.QueuedEvent;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopesTests {

	@Test
	void timestampsWithoutZoneAreUtc() {
		assertThat(Envelopes.parseTimestamp("2021-01-01 09:15:27.243860"))
			.isEqualTo(Instant.parse("2021-01-01T09:15:27.243860Z"));
		assertThat(Envelopes.parseTimestamp("2021-01-01 09:15:27")).isEqualTo(Instant.parse("2021-01-01T09:15:27Z"));
		assertThat(Envelopes.parseTimestamp("2021-01-01T09:15:27.5")).isEqualTo(Instant.parse("2021-01-01T09:15:27.5Z"));
	}

	@Test
	void isoTimestampsKeepTheirOffset() {
		assertThat(Envelopes.parseTimestamp("2021-01-01T09:15:27Z")).isEqualTo(Instant.parse("2021-01-01T09:15:27Z"));
		assertThat(Envelopes.parseTimestamp("2021-01-01T10:15:27+01:00"))
			.isEqualTo(Instant.parse("2021-01-01T09:15:27Z"));
	}

	@Test
	void theCommonShapeIsReadAsTheFormatterReadsIt() {
		assertThat(Envelopes.parseTimestamp("2024-02-29T23:59:59.123456789Z"))
			.isEqualTo(Instant.parse("2024-02-29T23:59:59.123456789Z"));
		assertThat(Envelopes.parseTimestamp("2021-01-01 09:15:27.2Z")).isEqualTo(Instant.parse("2021-01-01T09:15:27.2Z"));
		assertThat(Envelopes.parseTimestamp("2023-02-29T09:15:27Z")).isNull();
		assertThat(Envelopes.parseTimestamp("2021-01-01T24:00:00Z")).isNull();
		assertThat(Envelopes.parseTimestamp("2021-01-01T09:15:60Z")).isNull();
		assertThat(Envelopes.parseTimestamp("2021-01-01T09:15:27.1234567890Z")).isNull();
	}

	@Test
	void anythingElseIsRefused() {
		assertThat(Envelopes.parseTimestamp("yesterday")).isNull();
		assertThat(Envelopes.parseTimestamp("2021-13-01 09:15:27")).isNull();
		assertThat(Envelopes.parseTimestamp("2021-01-01")).isNull();
		assertThat(Envelopes.parseTimestamp("1969-12-31 23:59:59")).isNull();
	}

	@Test
	void dataIsKeptCompactWithNumbersSpelledAsSent() {
		EyeProperties properties = Binder.get(new StandardEnvironment())
			.bindOrCreate("walleye.eye", Bindable.of(EyeProperties.class));
		String body = """
				[{"session_id":"e2085be5-9137-4e4e-80b5-f1ffddc25423","category":"c","name":"n",
				  "data": {"host": "h\\u00e9", "nested": {"a": [1, {"b": 2.50E-3}]}}, "timestamp":"2021-01-01 09:15:27"},
				 {"data":{},"session_id":"e2085be5-9137-4e4e-80b5-f1ffddc25423","category":"c","name":"n","timestamp":"2021-01-01T09:15:27Z","id":null}]
				""";
		List<QueuedEvent> events = Envelopes.parse(body.getBytes(StandardCharsets.UTF_8), UUID.randomUUID(),
				Instant.now(), JsonMapper.builder().build(), UUID::randomUUID, properties);
		assertThat(events).hasSize(2);
		assertThat(events.get(0).data()).isEqualTo("{\"host\":\"hé\",\"nested\":{\"a\":[1,{\"b\":2.50E-3}]}}");
		assertThat(events.get(1).data()).isEqualTo("{}");
		assertThat(events.get(0).occurredAt()).isEqualTo(Instant.parse("2021-01-01T09:15:27Z"));
	}

	@Test
	void numbersBeyondWhatJsonbHoldsAreFound() {
		assertThat(Envelopes.outOfNumericRange("1e131071")).isNull();
		assertThat(Envelopes.outOfNumericRange("1e-16383")).isNull();
		assertThat(Envelopes.outOfNumericRange("0e1000")).isNull();
		assertThat(Envelopes.outOfNumericRange("1e131072")).isNotNull();
		assertThat(Envelopes.outOfNumericRange("1e-16384")).isNotNull();
		assertThat(Envelopes.outOfNumericRange("0e-16384")).isNotNull();
		assertThat(Envelopes.outOfNumericRange("1.25e-16382")).isNotNull();
		assertThat(Envelopes.outOfNumericRange("1e2147483648")).isNotNull();
	}
}
