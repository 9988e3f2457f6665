package io.walleye.console;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.Test;

import io.walleye.support.TestApi;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium (Debian's {@code /usr/bin/chromium}, driven by Playwright): signing in and
 * out, and every page loading without a single browser console error. Saves a screenshot of each page under
 * {@code server/target/screenshots/} for a person to look at.
 */
class ConsoleBrowserIntegrationTests extends ConsoleBrowserTest {

	static final List<String> PAGES = List.of("/console", "/console/wallets", "/console/ledger", "/console/events",
			"/console/failed-events", "/console/event-types", "/console/applications", "/console/etl",
			"/console/operators");

	@Test
	void operatorSignsInAndEveryPageLoadsWithoutBrowserErrors() {
		signIn("admin", TestApi.ADMIN_PASSWORD);
		assertThat(page).hasURL(api.baseUrl() + "/console");

		List<String> visited = new ArrayList<>();
		for (String path : PAGES) {
			page.navigate(path);
			assertThat(page.locator("h1")).isVisible();
			assertThat(page.locator("nav a.active")).hasCount(1);
			if (path.equals("/console")) {
				waitForCharts();
			}
			screenshot(path.equals("/console") ? "overview" : path.substring("/console/".length()));
			visited.add(path);
		}

		assertThat(visited).hasSize(PAGES.size());
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void overviewDrawsChartsAndRefreshesThemByItself() {
		signIn("admin", TestApi.ADMIN_PASSWORD);
		waitForCharts();
		String first = page.locator("#overview-updated").textContent();

		page.waitForCondition(() -> !page.locator("#overview-updated").textContent().equals(first),
				new Page.WaitForConditionOptions().setTimeout(20_000));

		assertThat(page.locator("#section-platform .total")).not().hasCount(0);
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void wrongPasswordShowsAnErrorAndKeepsTheOperatorOut() {
		signIn("admin", "definitely-wrong");

		assertThat(page.locator("#signin-error")).containsText("Wrong username or password");
		screenshot("login-error");
		page.navigate("/console/wallets");
		assertThat(page).hasURL(api.baseUrl() + "/console/login");
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void signOutReturnsToTheSignInPage() {
		signIn("admin", TestApi.ADMIN_PASSWORD);

		page.getByText("Sign out").click();

		assertThat(page.locator(".alert-info")).containsText("You have signed out");
		screenshot("signed-out");
		page.navigate("/console/events");
		assertThat(page).hasURL(api.baseUrl() + "/console/login");
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void scriptedRequestsPassCsrfWithTheHeaderTheLayoutGivesHtmx() {
		signIn("admin", TestApi.ADMIN_PASSWORD);
		page.navigate("/console/events");
		assertThat(page.locator("meta[name=_csrf]")).hasAttribute("content", Pattern.compile(".+"));

		Object withoutHeader = page.evaluate("""
				fetch('/console/logout', { method: 'POST', redirect: 'manual' }).then(response => String(response.status))""");
		assertThat(withoutHeader).isEqualTo("403");
		browserErrors.clear(); // the refused request is logged by the browser; it is the point of this check

		Object withHeader = page.evaluate("""
				fetch('/console/logout', { method: 'POST', redirect: 'manual',
				    headers: JSON.parse(document.body.getAttribute('hx-headers')) })
				  .then(response => response.type === 'opaqueredirect' ? 'redirected' : String(response.status))""");
		assertThat(withHeader).isEqualTo("redirected");
		page.navigate("/console/events");
		assertThat(page).hasURL(api.baseUrl() + "/console/login");
	}

	@Test
	void pagesFitAPhoneScreen() {
		page.setViewportSize(390, 844);
		signIn("admin", TestApi.ADMIN_PASSWORD);
		waitForCharts();
		screenshot("overview-phone");
		page.navigate("/console/events");
		screenshot("events-phone");

		int overflow = ((Number) page.evaluate("document.documentElement.scrollWidth - window.innerWidth")).intValue();
		assertThat(overflow).as("horizontal overflow in px").isLessThanOrEqualTo(0);
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void eventFilterFormSwapsResultsInPlaceAndKeepsTheUrl() {
		signIn("admin", TestApi.ADMIN_PASSWORD);
		page.navigate("/console/events");

		// Other tests share this database and send events, so filter by a session nobody uses.
		page.locator("input[name=session]").fill(UUID.randomUUID().toString());
		page.locator("input[name=category]").fill("page interaction");
		page.locator("input[data-utc-field=from]").fill("2026-01-01T10:00");
		page.locator("form.filters button[type=submit]").click();

		assertThat(page.locator("#results")).containsText("No events match these filters");
		assertThat(page).hasURL(Pattern.compile(".*category=page(%20|\\+)interaction.*"));
		// Typed in the browser's zone (Paris, UTC+1 in January), sent as UTC.
		assertThat(page).hasURL(Pattern.compile(".*from=2026-01-01T09(%3A|:)00(%3A|:)00.000Z.*"));
		page.reload();
		assertThat(page.locator("input[data-utc-field=from]")).hasValue(Pattern.compile("2026-01-01T10:00(:00)?"));
		screenshot("events-filtered");
		assertThat(browserErrors).isEmpty();
	}

	private void waitForCharts() {
		page.waitForSelector("#section-platform canvas");
		// The platform section always has its three charts; the modules add their own sections beside it.
		assertThat(page.locator("#section-platform canvas")).hasCount(3);
		assertThat(page.locator("#overview-updated")).containsText("Updated");
	}

}
