package io.walleye.console;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.walleye.support.TestApi;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Eye's console pages in headless Chromium: applications and their once-shown keys, the events explorer down to
 * one session and its timeline, failed events with the validator's messages, and event type editing. Screenshots go
 * to {@code server/target/screenshots/eye-*.png}.
 */
class EyeConsoleBrowserIntegrationTests extends ConsoleBrowserTest {

	@BeforeEach
	void signInAsAdmin() {
		signIn();
	}

	@Test
	void anApplicationIsCreatedAndItsKeyShownOnce() {
		String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
		page.navigate("/console/applications");
		page.locator("input[name=name]").fill(name);
		page.locator("#create-application").click();

		assertThat(page.locator("#new-key")).containsText(name);
		String key = page.locator("#new-key-value").textContent();
		assertThat(key).startsWith("wk_");
		assertThat(page.locator("#new-key button[data-copy]")).isVisible();
		screenshot("eye-applications-key");

		// The key works, and is never shown again.
		assertThat(api.post("/api/v1/events", event(UUID.randomUUID(), Instant.now(), Map.of("host", "h", "path", "/")))
			.bearer(key)
			.send()
			.status()).isEqualTo(202);
		page.navigate("/console/applications");
		assertThat(page.locator("#new-key")).hasCount(0);
		assertThat(page.content()).doesNotContain(key);
		assertThat(page.locator(".application-row", new Page.LocatorOptions().setHasText(name))).hasCount(1);

		page.locator(".application-row", new Page.LocatorOptions().setHasText(name)).locator(".revoke-button").click();
		assertThat(page.locator("#flash")).containsText("revoked");
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void eventsAreFilteredDownToOneSessionAndItsTimeline() {
		String key = newApplicationKey();
		UUID session = UUID.randomUUID();
		UUID otherSession = UUID.randomUUID();
		Instant base = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
		List<Object> events = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			events.add(event(session, base.plusSeconds(i), Map.of("host", "shop.example", "path", "/step-" + i)));
		}
		events.add(event(otherSession, base, Map.of("host", "shop.example", "path", "/elsewhere")));
		TestApi.Response accepted = api.post("/api/v1/events", events).bearer(key).send();
		assertThat(accepted.status()).isEqualTo(202);
		String lastId = accepted.json().get("ids").get(2).asString();
		waitUntil(() -> api.get("/api/v1/events/" + lastId).asAdmin().send().status() == 200);
		waitUntil(() -> api.get("/api/v1/sessions/" + otherSession).asAdmin().send().status() == 200);

		page.navigate("/console/events");
		page.locator("input[name=session]").fill(session.toString());
		page.locator("form.filters button[type=submit]").click();

		assertThat(page.locator(".event-row")).hasCount(3);
		assertThat(page.locator("#results")).containsText("/step-2");
		assertThat(page.locator("#results")).not().containsText("/elsewhere");
		screenshot("eye-events-session");

		page.locator(".session-link").first().click();
		assertThat(page.locator("h1")).hasText("Session");
		assertThat(page.locator(".timeline-event")).hasCount(3);
		assertThat(page.locator(".timeline-event").first()).containsText("/step-0");
		assertThat(page.locator(".timeline-event").last()).containsText("/step-2");
		screenshot("eye-session-timeline");
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void theSessionPageShowsNumbersExactlyAsSent() {
		String key = newApplicationKey();
		UUID session = UUID.randomUUID();
		String body = "{\"session_id\":\"" + session + "\",\"category\":\"shop\",\"name\":\"checkout\","
				+ "\"timestamp\":\"" + Instant.now().minusSeconds(60) + "\","
				+ "\"data\":{\"total\":12345678.123456789,\"pi\":3.14159265358979323846,\"tiny\":1E-400}}";
		TestApi.Response accepted = api.post("/api/v1/events", body).bearer(key).send();
		assertThat(accepted.status()).isEqualTo(202);
		waitUntil(() -> api.get("/api/v1/sessions/" + session).asAdmin().send().status() == 200);

		page.navigate("/console/sessions/" + session);
		assertThat(page.locator(".timeline-event").first()).containsText("12345678.123456789");
		assertThat(page.locator(".timeline-event").first()).containsText("3.14159265358979323846");
		assertThat(page.locator(".timeline-event").first()).containsText("1E-400");
	}

	@Test
	void failedEventsShowTheReasonAndMessagesAndCanBeRetried() {
		String key = newApplicationKey();
		TestApi.Response accepted = api
			.post("/api/v1/events", event(UUID.randomUUID(), Instant.now(), Map.of("path", "/no-host")))
			.bearer(key)
			.send();
		String id = accepted.json().get("ids").get(0).asString();
		waitUntil(() -> api.get("/api/v1/events/failed/" + id).asAdmin().send().status() == 200);

		page.navigate("/console/failed-events");
		page.locator("select[name=reason]").selectOption("schema_violation");
		page.locator("form.filters button[type=submit]").click();
		var row = page.locator(".failed-row", new Page.LocatorOptions().setHasText("/no-host"));
		assertThat(row).hasCount(1);
		assertThat(row).containsText("schema_violation");
		assertThat(row.locator(".eye-messages")).containsText("host");
		screenshot("eye-failed-events");

		row.locator(".retry-button").click();
		assertThat(page.locator("#flash")).containsText("still fails");
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void anEventTypeEditWithABadSchemaIsRefusedWithTheReason() {
		page.navigate("/console/event-types");
		assertThat(page.locator(".type-row", new Page.LocatorOptions().setHasText("pageview"))).hasCount(1);
		screenshot("eye-event-types");

		String name = "type-" + UUID.randomUUID().toString().substring(0, 8);
		page.navigate("/console/event-types/edit");
		page.locator("input[name=category]").fill("console test");
		page.locator("input[name=name]").fill(name);
		page.locator("textarea[name=schema]").fill("{\"type\": \"banana\"}");
		page.locator("form.stack button[type=submit]").click();
		assertThat(page.locator("#schema-problems")).containsText("not saved");
		screenshot("eye-event-type-refused");

		page.locator("textarea[name=schema]").fill("{\"type\": \"object\", \"required\": [\"host\"]}");
		page.locator("form.stack button[type=submit]").click();
		assertThat(page.locator("#flash")).containsText("Saved");
		assertThat(page.locator(".type-row", new Page.LocatorOptions().setHasText(name))).hasCount(1);
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void theOverviewShowsTheEyeSection() {
		page.navigate("/console");
		page.waitForSelector("#section-eye canvas");
		assertThat(page.locator("#section-eye")).containsText("Backlog");
		screenshot("eye-overview");
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void theEyePagesFitAPhoneScreen() {
		String key = newApplicationKey();
		api.post("/api/v1/events", event(UUID.randomUUID(), Instant.now(), Map.of("host", "h".repeat(80), "path", "/")))
			.bearer(key)
			.send();
		page.setViewportSize(390, 844);
		for (String path : List.of("/console/events", "/console/failed-events", "/console/event-types",
				"/console/applications")) {
			page.navigate(path);
			int overflow = ((Number) page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))
				.intValue();
			assertThat(overflow).as("horizontal overflow of " + path + " in px").isLessThanOrEqualTo(0);
		}
		screenshot("eye-events-phone");
		assertThat(browserErrors).isEmpty();
	}

	private String newApplicationKey() {
		return api.post("/api/v1/applications", Map.of("name", "console-" + UUID.randomUUID()))
			.asAdmin()
			.send()
			.json()
			.get("api_key")
			.asString();
	}

	private static Map<String, Object> event(UUID session, Instant at, Map<String, Object> data) {
		return Map.of("session_id", session.toString(), "category", "page interaction", "name", "pageview",
				"timestamp", at.toString(), "data", data);
	}

	private static void waitUntil(java.util.function.BooleanSupplier condition) {
		long deadline = System.currentTimeMillis() + 20_000;
		while (!condition.getAsBoolean()) {
			if (System.currentTimeMillis() > deadline) {
				throw new AssertionError("timed out");
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
