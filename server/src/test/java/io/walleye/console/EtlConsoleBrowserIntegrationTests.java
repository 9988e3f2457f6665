package io.walleye.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.etl.FakeGitHub;
import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

/**
 * The ETL pages in headless Chromium against the fake GitHub: start a run from the form, watch its progress bar
 * finish without reloading, browse the repositories with their chart and a repository's star history — with no
 * browser console errors. Screenshots go to {@code server/target/screenshots/etl-*.png}.
 */
@WalleyeIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtlConsoleBrowserIntegrationTests {

	static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

	static final Path SCREENSHOTS = Paths.get("target", "screenshots");

	@Autowired
	TestApi api;

	Playwright playwright;

	Browser browser;

	BrowserContext context;

	Page page;

	final List<String> browserErrors = new CopyOnWriteArrayList<>();

	@BeforeAll
	void launchChromium() throws Exception {
		assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM + "; .ci/run installs it");
		Files.createDirectories(SCREENSHOTS);
		playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
		browser = playwright.chromium()
			.launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
				.setHeadless(true)
				.setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
						"--disable-background-networking", "--disable-component-update", "--disable-sync",
						"--no-first-run")));
	}

	@AfterAll
	void closeChromium() {
		if (browser != null) {
			browser.close();
		}
		if (playwright != null) {
			playwright.close();
		}
	}

	@BeforeEach
	void openPage() {
		context = browser.newContext(new Browser.NewContextOptions().setBaseURL(api.baseUrl())
			.setViewportSize(1366, 900)
			.setLocale("en-GB")
			.setTimezoneId("Europe/Paris"));
		page = context.newPage();
		browserErrors.clear();
		page.onConsoleMessage(message -> {
			if ("error".equals(message.type())) {
				browserErrors.add(message.text() + " at " + message.location());
			}
		});
		page.onPageError(error -> browserErrors.add("uncaught: " + error));
		page.onRequestFailed(request -> browserErrors.add("request failed: " + request.url()));
	}

	@AfterEach
	void closePage() {
		if (context != null) {
			context.close();
		}
	}

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

	private void signIn() {
		page.navigate("/console/login");
		page.locator("input[name=username]").fill("admin");
		page.locator("input[name=password]").fill(TestApi.ADMIN_PASSWORD);
		page.locator("button[type=submit]").click();
		page.waitForLoadState();
		assertThat(page.locator("h1")).hasText("Overview");
	}

	private void screenshot(String name) {
		page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
	}
}
