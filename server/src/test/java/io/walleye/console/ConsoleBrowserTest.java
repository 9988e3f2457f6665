package io.walleye.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every console browser test needs: Debian's headless Chromium ({@code /usr/bin/chromium}) driven by Playwright,
 * one fresh page per test in the Europe/Paris zone (so local times differ from UTC), every browser console error,
 * uncaught exception and failed request collected in {@link #browserErrors}, and screenshots under
 * {@code server/target/screenshots/}. Skipped when Chromium is missing ({@code .ci/run} installs it).
 */
@WalleyeIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConsoleBrowserTest {

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

	/** Signs in as admin through the form and lands on the overview. */
	void signIn() {
		signIn("admin", TestApi.ADMIN_PASSWORD);
	}

	/** Submits the sign-in form; only the right admin password is expected to land on the overview. */
	void signIn(String username, String password) {
		page.navigate("/console/login");
		page.locator("input[name=username]").fill(username);
		page.locator("input[name=password]").fill(password);
		page.locator("button[type=submit]").click();
		page.waitForLoadState();
		if (password.equals(TestApi.ADMIN_PASSWORD)) {
			assertThat(page.locator("h1")).hasText("Overview");
		}
	}

	void screenshot(String name) {
		page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
	}
}
