package io.walleye.console.overview;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import io.walleye.console.ConsoleProperties;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.OverviewContributor;
import io.walleye.platform.OverviewContributor.Chart;
import io.walleye.platform.OverviewContributor.Total;
import io.walleye.platform.OverviewContributor.Window;
import io.walleye.platform.Problems;
import io.walleye.platform.Role;

/**
 * Gathers the overview from every {@link OverviewContributor} bean in the process. A contributor that fails costs
 * only its own section, which then says so, so one broken query never blanks the operators' dashboard.
 */
@Service
@ConditionalOnRole(Role.CONSOLE)
public class Overview {

	private static final Logger log = LoggerFactory.getLogger(Overview.class);

	private final ObjectProvider<OverviewContributor> contributors;

	private final ConsoleProperties properties;

	private final Clock clock;

	Overview(ObjectProvider<OverviewContributor> contributors, ConsoleProperties properties, Clock clock) {
		this.contributors = contributors;
		this.properties = properties;
		this.clock = clock;
	}

	public View current() {
		Window window = new Window(clock.instant(), properties.overviewMinutes());
		List<SectionView> sections = new ArrayList<>();
		contributors.orderedStream()
			.sorted(Comparator.comparingInt(OverviewContributor::order))
			.forEach(contributor -> sections.add(read(contributor, window)));
		return new View(window.now(), window.from(), properties.overviewMinutes(),
				properties.refreshInterval().toMillis(), sections);
	}

	private static SectionView read(OverviewContributor contributor, Window window) {
		try {
			var section = contributor.overview(window);
			return new SectionView(section.key(), section.title(), section.charts(), section.totals(), null);
		}
		catch (RuntimeException failure) {
			log.error("Overview contributor {} failed", contributor.getClass().getName(), failure);
			String key = contributor.getClass().getSimpleName();
			return new SectionView(key, key, List.of(), List.of(),
					"This part of the overview could not be read. It retries on the next refresh; if it keeps failing, "
							+ "search the server log for request id " + MDC.get(Problems.REQUEST_ID_MDC_KEY) + ".");
		}
	}

	/** The whole overview as the page's script consumes it. */
	public record View(Instant generatedAt, Instant from, int minutes, long refreshMillis,
			List<SectionView> sections) {
	}

	public record SectionView(String key, String title, List<Chart> charts, List<Total> totals,
			@Nullable String error) {
	}
}
