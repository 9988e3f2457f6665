package io.walleye.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.microsoft.playwright.assertions.LocatorAssertions;
import org.junit.jupiter.api.Test;

import io.walleye.etl.FakeGitHub;

/**
 * The ETL pages in headless Chromium against the fake GitHub: start a run from the form, watch its progress bar
 * finish without reloading, browse the repositories with their chart and a repository's star history — with no
 * browser console errors. Screenshots go to {@code server/target/screenshots/etl-*.png}.
 */
class EtlConsoleBrowserIntegrationTests extends ConsoleBrowserTest {

	@Test
	void operatorStartsARunAgainstTheFakeGitHubWatchesItFinishAndBrowsesTheRepositories() {
		FakeGitHub github = FakeGitHub.shared();
		github.org("console-org", 600);
		github.slowPages("console-org", Duration.ofMillis(500));
		try {
			signIn();
			page.navigate("/console/etl");
			page.locator("select[name=kind]").selectOption("org");
			page.locator("input[name=value]").fill("console-org");
			page.locator("#start-run button[type=submit]").click();

			assertThat(page.locator("h1")).hasText("ETL run");
			assertThat(page.locator("#run-status-value")).hasText("running",
					new LocatorAssertions.HasTextOptions().setTimeout(10_000));
			screenshot("etl-run-progress");
			assertThat(page.locator("#run-status progress")).hasAttribute("value",
					java.util.regex.Pattern.compile("([1-9]|[1-9][0-9])"),
					new LocatorAssertions.HasAttributeOptions().setTimeout(10_000));
			assertThat(page.locator("#run-status-value")).hasText("succeeded",
					new LocatorAssertions.HasTextOptions().setTimeout(60_000));
			assertThat(page.locator("#run-status")).containsText("600 / 600 / 600");
			screenshot("etl-run");
		}
		finally {
			github.slowPages("", Duration.ZERO);
		}

		page.navigate("/console/etl");
		assertThat(page.locator("#runs tr[data-status=succeeded]").first()).containsText("org: console-org");
		screenshot("etl");

		page.navigate("/console/etl/repositories?owner=console-org&language=Go");
		assertThat(page.locator("#stars-by-language")).isVisible();
		page.waitForFunction("() => window.Chart && Chart.getChart(document.getElementById('stars-by-language'))");
		assertThat(page.locator("#repositories tbody tr")).not().hasCount(0);
		assertThat(page.locator("#repositories tbody tr td:nth-child(2)").first()).hasText("Go");
		screenshot("etl-repositories");

		page.locator("#repositories tbody tr a").first().click();
		assertThat(page.locator("h1")).containsText("console-org/repo-");
		page.waitForFunction("() => window.Chart && Chart.getChart(document.getElementById('star-history'))");
		screenshot("etl-repository");

		assertThat(browserErrors).isEmpty();
	}

	@Test
	void aBadStartShowsWhatToDoAndTheRepositoriesPagePagesThrough() {
		signIn();
		page.navigate("/console/etl");
		page.locator("select[name=kind]").selectOption("user");
		page.locator("input[name=value]").fill("not a login!");
		page.locator("#start-run button[type=submit]").click();
		assertThat(page.locator(".alert-error")).containsText("is not a GitHub login");

		page.setViewportSize(390, 844);
		page.navigate("/console/etl/repositories");
		screenshot("etl-repositories-phone");
		int overflow = ((Number) page.evaluate("document.documentElement.scrollWidth - window.innerWidth")).intValue();
		assertThat(overflow).as("horizontal overflow in px").isLessThanOrEqualTo(0);
		assertThat(browserErrors).isEmpty();
	}

}
