package io.walleye.platform;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A module's part of the operators' overview page: a few charts and current totals, read fresh each time the page
 * refreshes (every few seconds), so keep it to cheap, indexed queries. Declare an implementation as a bean in any
 * module; the console collects every such bean, so no module depends on the console.
 */
public interface OverviewContributor {

	/** This module's section for the given time window. */
	Section overview(Window window);

	/** Where the section sits on the page; lower comes first. */
	default int order() {
		return 100;
	}

	/**
	 * The last {@code minutes} whole minutes up to and including the current one: {@code from} is the start of the
	 * oldest minute, {@code now} the instant of the request.
	 */
	record Window(Instant now, int minutes) {

		public Window {
			if (minutes < 1) {
				throw new IllegalArgumentException("minutes must be at least 1");
			}
		}

		public Instant from() {
			return now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(minutes - 1L));
		}

		/** The start of every minute in the window, oldest first. */
		public List<Instant> minuteStarts() {
			List<Instant> starts = new ArrayList<>(minutes);
			for (Instant minute = from(); !minute.isAfter(now); minute = minute.plus(Duration.ofMinutes(1))) {
				starts.add(minute);
			}
			return starts;
		}
	}

	/** A titled block of charts and totals, e.g. "Wallets". {@code key} is stable and used as an HTML id. */
	record Section(String key, String title, List<Chart> charts, List<Total> totals) {
	}

	/** One chart: line charts for rates and levels, stacked bars for parts of a whole (accepted vs rejected). */
	record Chart(String key, String title, String unit, Kind kind, List<Series> series) {

		public enum Kind {
			LINE, STACKED_BAR
		}
	}

	/** A named line or bar series of time-stamped values. */
	record Series(String name, List<Point> points) {

		/**
		 * One point per minute of the window, zero where {@code countsByMinute} has no entry, so a quiet minute shows
		 * as zero instead of a gap. Keys are minute starts, e.g. from {@code date_trunc('minute', created_at)}.
		 */
		public static Series perMinute(String name, Window window, Map<Instant, ? extends Number> countsByMinute) {
			List<Point> points = new ArrayList<>();
			for (Instant minute : window.minuteStarts()) {
				Number value = countsByMinute.get(minute);
				points.add(new Point(minute, value == null ? BigDecimal.ZERO : new BigDecimal(value.toString())));
			}
			return new Series(name, points);
		}
	}

	/** A value at an instant; decimals are exact (money volumes stay decimal all the way to the chart). */
	record Point(Instant at, BigDecimal value) {
	}

	/** A current figure shown as a tile: "Wallets" / "1,204", with an optional hint under it. */
	record Total(String label, String value, @Nullable String hint) {
	}
}
