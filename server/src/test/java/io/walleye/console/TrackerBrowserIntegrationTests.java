package io.walleye.console;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.walleye.support.TestApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tracker in a real Chromium, on a website of its own: a second HTTP server on another port (another origin)
 * serves pages that load {@code /eye.js} from Walleye, and what the visitor does must arrive in The Eye exactly once,
 * without the password; a page from an origin the key does not allow gets nothing stored.
 */
class TrackerBrowserIntegrationTests extends ConsoleBrowserTest {

	private static final String PASSWORD = "hunter2-secret";

	HttpServer site;

	@BeforeAll
	void startWebsite() throws IOException {
		site = HttpServer.create(new InetSocketAddress(0), 0);
		site.createContext("/", this::page);
		site.start();
	}

	@AfterAll
	void stopWebsite() {
		if (site != null) {
			site.stop(0);
		}
	}

	/** Every path is the same page (the SPA's routes included); the key and host come from the query string. */
	private void page(HttpExchange exchange) throws IOException {
		String query = exchange.getRequestURI().getRawQuery();
		Map<String, String> params = new java.util.HashMap<>();
		for (String pair : String.valueOf(query).split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				params.put(pair.substring(0, equals), pair.substring(equals + 1));
			}
		}
		exchange.getRequestBody().readAllBytes();
		byte[] html = """
				<!doctype html>
				<html><head><title>Shop</title>
				<script src="%1$s/eye.js"></script>
				<script>eye.init({ host: "%1$s", key: "%2$s", autocapture: true, flushInterval: 100 });</script>
				</head><body>
				<h1>Shop</h1>
				<button id="pricing" onclick="history.pushState({}, '', '/pricing')">Pricing</button>
				<div data-eye-cta="signup banner"><button id="signup"><span>Sign up</span></button></div>
				<button id="unmarked">Not tracked</button>
				<form id="signup-form" method="post" action="/thanks?key=%2$s&host=%1$s"
				      data-eye-fields="first_name,last_name,password">
				  <input name="first_name"><input name="last_name"><input name="email">
				  <input name="password" type="password">
				  <button id="submit" type="submit">Send</button>
				</form>
				</body></html>
				""".formatted(params.getOrDefault("host", ""), params.getOrDefault("key", ""))
			.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
		exchange.sendResponseHeaders(200, html.length);
		exchange.getResponseBody().write(html);
		exchange.close();
	}

	record Site(String applicationId, String key) {
	}

	/** An application with a publishable key for the website's origin as the visitor sees it (127.0.0.1). */
	Site application() {
		TestApi.Response app = api.post("/api/v1/applications", Map.of("name", "site-" + UUID.randomUUID()))
			.asAdmin()
			.send();
		String id = app.json().get("id").asString();
		TestApi.Response key = api
			.post("/api/v1/applications/" + id + "/publishable-keys",
					Map.of("allowed_origins", List.of("http://127.0.0.1:" + site.getAddress().getPort())))
			.asAdmin()
			.send();
		assertThat(key.status()).isEqualTo(201);
		return new Site(id, key.json().get("key").asString());
	}

	String url(String host, String path, Site app) {
		return "http://" + host + ":" + site.getAddress().getPort() + path + "?key=" + app.key() + "&host="
				+ api.baseUrl();
	}

	List<JsonNode> stored(Site app) {
		JsonNode page = api.get("/api/v1/events?application_id=" + app.applicationId() + "&order=asc&limit=100")
			.asAdmin()
			.send()
			.json();
		List<JsonNode> events = new ArrayList<>();
		page.get("items").forEach(events::add);
		return events;
	}

	@Test
	void aVisitorsPageviewsClickAndFormArriveOnceEachWithoutThePassword() {
		Site app = application();
		page.navigate(url("127.0.0.1", "/", app));
		page.locator("#pricing").click(); // an SPA route change
		page.locator("#signup span").click(); // inside the marked element
		page.locator("#unmarked").click();
		page.locator("input[name=first_name]").fill("John");
		page.locator("input[name=last_name]").fill("Doe");
		page.locator("input[name=email]").fill("john@example.com");
		page.locator("input[name=password]").fill(PASSWORD);
		page.locator("#submit").click(); // the page leaves: the submit goes out with the beacon
		page.waitForURL("**/thanks**");

		waitUntil(() -> stored(app).size() >= 5);
		pause(Duration.ofMillis(1500)); // anything sent twice would have arrived by now
		List<JsonNode> events = stored(app);
		assertThat(events).extracting(e -> e.get("name").asString() + " " + e.get("data").get("path").asString())
			.containsExactlyInAnyOrder("pageview /", "pageview /pricing", "cta click /pricing", "submit /pricing",
					"pageview /thanks");
		assertThat(events).extracting(e -> e.get("session_id").asString()).containsOnly(
				events.getFirst().get("session_id").asString());
		JsonNode click = events.stream().filter(e -> e.get("name").asString().equals("cta click")).findFirst().orElseThrow();
		assertThat(click.get("data").get("element").asString()).isEqualTo("signup banner");
		JsonNode submit = events.stream().filter(e -> e.get("name").asString().equals("submit")).findFirst().orElseThrow();
		assertThat(submit.get("data").get("form"))
			.isEqualTo(TestApi.json().readTree("{\"first_name\":\"John\",\"last_name\":\"Doe\"}"));
		assertThat(events.toString()).doesNotContain(PASSWORD).doesNotContain("john@example.com");
		assertThat(submit.get("context").get("origin").asString())
			.isEqualTo("http://127.0.0.1:" + site.getAddress().getPort());
		assertThat(submit.get("context").get("user_agent").asString()).contains("Chrome");
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void eventsQueuedOfflineAreDeliveredWhenTheBrowserIsOnlineAgain() {
		Site app = application();
		page.navigate(url("127.0.0.1", "/", app));
		waitUntil(() -> stored(app).size() == 1);

		context.setOffline(true);
		page.locator("#signup").click();
		page.locator("#pricing").click();
		waitUntil(() -> ((Number) page.evaluate("eye.stats().queued")).intValue() == 2);
		pause(Duration.ofMillis(500));
		assertThat(stored(app)).hasSize(1);

		context.setOffline(false);
		waitUntil(() -> stored(app).size() == 3);
		assertThat(stored(app)).extracting(e -> e.get("name").asString())
			.containsExactlyInAnyOrder("pageview", "cta click", "pageview");
		assertThat(page.evaluate("eye.stats().queued")).isEqualTo(0);
	}

	@Test
	void aPageFromAnOriginTheKeyDoesNotAllowGetsNothingStored() {
		Site app = application();
		// the same website, reached as localhost: another origin, which the key does not list
		// The server refuses it (403 origin_not_allowed, BrowserIntakeIntegrationTests) without CORS headers, so the
		// page cannot even read the answer: the events stay in its queue.
		page.waitForRequest(
				request -> request.url().endsWith("/api/v1/browser/events") && request.method().equals("POST"),
				() -> page.navigate(url("localhost", "/", app)));
		page.locator("#signup").click();
		pause(Duration.ofMillis(1000));
		assertThat(stored(app)).isEmpty();
		assertThat(((Number) page.evaluate("eye.stats().queued")).intValue()).isEqualTo(2);
	}

	@Test
	void anOperatorAddsAndRevokesAWebsiteKeyOnTheApplicationsPage() {
		signIn();
		String name = "site-" + UUID.randomUUID();
		api.post("/api/v1/applications", Map.of("name", name)).asAdmin().send();
		page.navigate("/console/applications");
		var row = page.locator(".application-row", new Page.LocatorOptions().setHasText(name));
		row.locator("input[name=origins]").fill("https://www.example.com, https://Example.com");
		row.locator(".issue-website-key").click();

		com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#flash")).containsText("pk_");
		var key = page.locator(".application-row", new Page.LocatorOptions().setHasText(name)).locator(".website-key");
		com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(key)
			.containsText("https://www.example.com, https://example.com");
		screenshot("eye-applications-website-key");
		key.locator(".revoke-website-key").click();
		com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#flash")).containsText("revoked");
		com.microsoft.playwright.assertions.PlaywrightAssertions
			.assertThat(page.locator(".application-row", new Page.LocatorOptions().setHasText(name)).locator(".website-key"))
			.containsText("revoked");
		assertThat(browserErrors).isEmpty();
	}

	static void waitUntil(BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
			pause(Duration.ofMillis(100));
		}
	}

	static void pause(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}
}
