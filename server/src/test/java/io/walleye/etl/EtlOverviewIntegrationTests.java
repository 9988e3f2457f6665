package io.walleye.etl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.platform.OverviewContributor;
import io.walleye.support.WalleyeIntegrationTest;

/** The ETL's overview section reads current totals and per-minute series from the real tables. */
@WalleyeIntegrationTest
class EtlOverviewIntegrationTests {

	@Autowired
	EtlOverview overview;

	@Test
	void theSectionShowsRepositoriesAndRunsAndItsChartsHaveAPointPerMinute() {
		OverviewContributor.Window window = new OverviewContributor.Window(Instant.now(), 15);

		OverviewContributor.Section section = overview.overview(window);

		assertThat(section.key()).isEqualTo("etl");
		assertThat(section.totals()).extracting(OverviewContributor.Total::label)
			.contains("Repositories", "ETL runs in progress", "Waiting for GitHub");
		assertThat(overview.charts(window)).hasSize(2)
			.allSatisfy(chart -> assertThat(chart.series())
				.allSatisfy(series -> assertThat(series.points()).hasSize(window.minuteStarts().size())));
	}
}
