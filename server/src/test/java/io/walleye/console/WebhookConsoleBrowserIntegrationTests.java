package io.walleye.console;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhooks page in headless Chromium: a delivery that failed every attempt shows as failed with its attempts,
 * Redeliver sends it again, and the owner's endpoint shows on its wallet's page.
 */
class WebhookConsoleBrowserIntegrationTests extends ConsoleBrowserTest {

	HttpServer receiver;

	final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

	volatile int answer = 500;

	String wallet;

	String endpointUrl;

	@BeforeAll
	void failingReceiverAndAnEvent() throws Exception {
		receiver = HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
		receiver.createContext("/", exchange -> {
			received.add(exchange.getRequestHeaders().getFirst("webhook-id"));
			exchange.sendResponseHeaders(answer, -1);
			exchange.close();
		});
		receiver.start();
		endpointUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/console-hooks";
		String key = api.post("/api/v1/customers", Map.of("name", "Hook Console", "email", UUID.randomUUID() + "@example.test"))
			.send()
			.json()
			.get("api_key")
			.asString();
		wallet = api.post("/api/v1/wallets", Map.of("currency", "EUR")).bearer(key).send().json().get("token").asString();
		api.post("/api/v1/webhook-endpoints", Map.of("url", endpointUrl, "description", "console test")).bearer(key).send();
		api.post("/api/v1/wallets/" + wallet + "/deposits", Map.of("amount", "3.00")).bearer(key).send();
		for (int i = 0; i < 3; i++) {
			assertThat(received.poll(20, TimeUnit.SECONDS)).isNotNull();
		}
	}

	@AfterAll
	void stopReceiver() {
		if (receiver != null) {
			receiver.stop(0);
		}
	}

	@Test
	void aFailedDeliveryShowsItsAttemptsAndIsRedelivered() throws Exception {
		signIn();
		page.navigate("/console/webhooks");
		page.getByText(endpointUrl).first().click();
		assertThat(page.locator("h2").nth(1)).containsText(endpointUrl);
		page.waitForCondition(() -> {
			if (page.locator(".delivery-status").first().textContent().strip().equals("failed")) {
				return true;
			}
			page.reload();
			return false;
		});
		assertThat(page.locator(".delivery-row").first()).containsText("HTTP 500");
		page.locator(".delivery-row details summary").first().click();
		assertThat(page.locator(".delivery-row details li")).hasCount(3);
		screenshot("webhooks");

		answer = 204;
		page.locator(".redeliver-button").first().click();
		assertThat(page.locator("#flash")).containsText("Queued again");
		assertThat(received.poll(20, TimeUnit.SECONDS)).isNotNull();
		page.waitForCondition(() -> {
			if (page.locator(".delivery-status").first().textContent().strip().equals("delivered")) {
				return true;
			}
			page.reload();
			return false;
		});

		page.navigate("/console/wallets/" + wallet);
		assertThat(page.locator("#owner-endpoints")).containsText(endpointUrl);
		assertThat(browserErrors).isEmpty();
	}
}
