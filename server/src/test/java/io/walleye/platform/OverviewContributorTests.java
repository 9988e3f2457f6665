package io.walleye.platform;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.walleye.platform.OverviewContributor.Point;
import io.walleye.platform.OverviewContributor.Series;
import io.walleye.platform.OverviewContributor.Window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OverviewContributorTests {

	static final Instant NOW = Instant.parse("2026-03-01T12:34:56.789Z");

	@Test
	void windowCoversTheCurrentMinuteAndTheWholeMinutesBeforeIt() {
		Window window = new Window(NOW, 3);

		assertThat(window.from()).isEqualTo(Instant.parse("2026-03-01T12:32:00Z"));
		assertThat(window.minuteStarts()).containsExactly(Instant.parse("2026-03-01T12:32:00Z"),
				Instant.parse("2026-03-01T12:33:00Z"), Instant.parse("2026-03-01T12:34:00Z"));
	}

	@Test
	void windowNeedsAtLeastOneMinute() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Window(NOW, 0));
	}

	@Test
	void perMinuteSeriesFillsQuietMinutesWithZeroAndIgnoresMinutesOutsideTheWindow() {
		Window window = new Window(NOW, 3);
		Map<Instant, Long> counts = Map.of(Instant.parse("2026-03-01T12:33:00Z"), 7L,
				Instant.parse("2026-03-01T11:00:00Z"), 99L);

		Series series = Series.perMinute("accepted", window, counts);

		assertThat(series.name()).isEqualTo("accepted");
		assertThat(series.points()).extracting(Point::value)
			.containsExactly(BigDecimal.ZERO, new BigDecimal("7"), BigDecimal.ZERO);
	}

	@Test
	void perMinuteSeriesKeepsDecimalVolumesExact() {
		Window window = new Window(NOW, 1);

		Series series = Series.perMinute("volume", window,
				Map.of(Instant.parse("2026-03-01T12:34:00Z"), new BigDecimal("1234.56")));

		assertThat(series.points()).extracting(Point::value).containsExactly(new BigDecimal("1234.56"));
	}
}
