package io.walleye.eye.web;

import java.time.Instant;

import org.junit.jupiter.api.Test;

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
	void anythingElseIsRefused() {
		assertThat(Envelopes.parseTimestamp("yesterday")).isNull();
		assertThat(Envelopes.parseTimestamp("2021-13-01 09:15:27")).isNull();
		assertThat(Envelopes.parseTimestamp("2021-01-01")).isNull();
		assertThat(Envelopes.parseTimestamp("1969-12-31 23:59:59")).isNull();
	}
}
