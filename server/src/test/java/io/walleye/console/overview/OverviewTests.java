package io.walleye.console.overview;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import io.walleye.console.ConsoleProperties;
import io.walleye.platform.OverviewContributor;

import static org.assertj.core.api.Assertions.assertThat;

class OverviewTests {

	static final Instant NOW = Instant.parse("2026-03-01T12:34:56Z");

	static OverviewContributor contributor(String key, int order) {
		return new OverviewContributor() {
			@Override
			public Section overview(Window window) {
				return new Section(key, key.toUpperCase(), List.of(), List.of(new Total("count", "1", null)));
			}

			@Override
			public int order() {
				return order;
			}
		};
	}

	static Overview overviewOf(OverviewContributor... contributors) {
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		for (int i = 0; i < contributors.length; i++) {
			beans.registerSingleton("contributor" + i, contributors[i]);
		}
		return new Overview(beans.getBeanProvider(OverviewContributor.class),
				new ConsoleProperties(Duration.ofSeconds(5), 30, Duration.ofSeconds(5)),
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	@Test
	void sectionsComeInTheContributorsOrder() {
		Overview overview = overviewOf(contributor("wallets", 10), contributor("platform", 0),
				contributor("etl", 30));

		assertThat(overview.current().sections()).extracting(Overview.SectionView::key)
			.containsExactly("platform", "wallets", "etl");
	}

	@Test
	void aFailingContributorCostsOnlyItsOwnSection() {
		OverviewContributor broken = window -> {
			throw new IllegalStateException("relation does not exist");
		};

		Overview.View view = overviewOf(contributor("platform", 0), broken).current();

		assertThat(view.sections()).hasSize(2);
		assertThat(view.sections().get(0).error()).isNull();
		assertThat(view.sections().get(1).error()).contains("could not be read").doesNotContain("relation");
		assertThat(view.sections().get(1).charts()).isEmpty();
	}

	@Test
	void theViewTellsThePageItsWindowAndRefreshInterval() {
		Overview.View view = overviewOf().current();

		assertThat(view.generatedAt()).isEqualTo(NOW);
		assertThat(view.from()).isEqualTo(Instant.parse("2026-03-01T12:05:00Z"));
		assertThat(view.minutes()).isEqualTo(30);
		assertThat(view.refreshMillis()).isEqualTo(5000);
		assertThat(view.sections()).isEmpty();
	}
}
