package io.walleye.webhooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;
import io.walleye.webhooks.WebhookFixtures.Party;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhook endpoints against real receivers (JDK HttpServer on 127.0.0.1): signed deliveries verified as the docs
 * tell receivers to, also during a secret rotation; retries after a 500 and a timeout; 410 disabling the endpoint.
 */
@WalleyeIntegrationTest
class WebhookIntegrationTests {

	@Autowired
	TestApi api;

	Party customer() {
		return WebhookFixtures.party(api, "customers");
	}

	void deposit(Party party, String amount) {
		WebhookFixtures.deposit(api, party, amount);
	}

	JsonNode endpoint(Party party, String url, List<String> types) {
		return WebhookFixtures.endpoint(api, party, url, types);
	}

	JsonNode deliveries(Party party, String endpointId) {
		return api.get("/api/v1/webhook-endpoints/" + endpointId + "/deliveries").bearer(party.key()).send().json();
	}

	/** The endpoint's newest delivery once it is no longer pending. */
	JsonNode settledDelivery(Party party, String endpointId) throws InterruptedException {
		for (int i = 0; i < 200; i++) {
			JsonNode items = deliveries(party, endpointId).get("items");
			if (!items.isEmpty() && !items.get(0).get("status").asString().equals("pending")) {
				return items.get(0);
			}
			Thread.sleep(100);
		}
		throw new AssertionError("delivery still pending: " + deliveries(party, endpointId));
	}

	@Test
	void deliveriesAreSignedAndVerifyWithEitherSecretDuringARotation() throws Exception {
		Party ada = customer();
		try (Receiver receiver = new Receiver()) {
			JsonNode endpoint = endpoint(ada, receiver.url(), List.of("operation.accepted"));
			String first = endpoint.get("secret").asString();
			assertThat(first).startsWith("whsec_");
			deposit(ada, "10.00");
			Receiver.Request request = receiver.next();
			JsonNode event = TestApi.json().readTree(request.body());
			assertThat(event.get("type").asString()).isEqualTo("operation.accepted");
			assertThat(event.get("id").asString()).isEqualTo(request.id());
			assertThat(event.get("data").get("wallet_token").asString()).isEqualTo(ada.wallet());
			assertThat(event.get("data").get("balance_after").asString()).isEqualTo("10.00");
			assertThat(Receiver.verifies(request, first)).isTrue();

			Response rotated = api.post("/api/v1/webhook-endpoints/" + endpoint.get("id").asString() + "/rotate-secret")
				.bearer(ada.key())
				.send();
			assertThat(rotated.status()).isEqualTo(200);
			String second = rotated.json().get("secret").asString();
			deposit(ada, "5.00");
			Receiver.Request during = receiver.next();
			assertThat(during.signature().split(" ")).hasSize(2);
			assertThat(Receiver.verifies(during, first)).isTrue();
			assertThat(Receiver.verifies(during, second)).isTrue();
			assertThat(Receiver.verifies(during, "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])))
				.isFalse();
		}
	}

	@Test
	void a500IsRetriedUntilA200WithTheSameWebhookId() throws Exception {
		Party ada = customer();
		try (Receiver receiver = new Receiver(500, 200)) {
			String id = endpoint(ada, receiver.url(), List.of()).get("id").asString();
			deposit(ada, "1.00");
			Receiver.Request failed = receiver.next();
			Receiver.Request retried = receiver.next();
			assertThat(retried.id()).isEqualTo(failed.id());
			assertThat(retried.body()).isEqualTo(failed.body());
			JsonNode delivery = settledDelivery(ada, id);
			assertThat(delivery.get("status").asString()).isEqualTo("delivered");
			assertThat(delivery.get("attempt_count").asInt()).isEqualTo(2);
			assertThat(delivery.get("attempts").get(0).get("status_code").asInt()).isEqualTo(500);
			assertThat(delivery.get("attempts").get(0).get("response_body").asString()).isEqualTo("{\"received\":500}");
			assertThat(delivery.get("attempts").get(1).get("status_code").asInt()).isEqualTo(200);
		}
	}

	@Test
	void aReceiverThatNeverAnswersTimesOutAndIsRetried() throws Exception {
		Party ada = customer();
		try (Receiver receiver = new Receiver(0, 200)) {
			String id = endpoint(ada, receiver.url(), List.of()).get("id").asString();
			deposit(ada, "1.00");
			Receiver.Request hung = receiver.next();
			Receiver.Request retried = receiver.next();
			assertThat(retried.id()).isEqualTo(hung.id());
			JsonNode delivery = settledDelivery(ada, id);
			assertThat(delivery.get("status").asString()).isEqualTo("delivered");
			JsonNode timedOut = delivery.get("attempts").get(0);
			assertThat(timedOut.get("status_code").isNull()).isTrue();
			assertThat(timedOut.get("error").asString()).startsWith("timed out");
		}
	}

	@Test
	void gone410DisablesTheEndpointAndFailingEveryAttemptFailsTheDelivery() throws Exception {
		Party ada = customer();
		try (Receiver gone = new Receiver(410); Receiver broken = new Receiver(503, 500, 500)) {
			String goneId = endpoint(ada, gone.url(), List.of()).get("id").asString();
			String brokenId = endpoint(ada, broken.url(), List.of()).get("id").asString();
			deposit(ada, "1.00");
			JsonNode goneDelivery = settledDelivery(ada, goneId);
			assertThat(goneDelivery.get("status").asString()).isEqualTo("failed");
			JsonNode endpoint = api.get("/api/v1/webhook-endpoints/" + goneId).bearer(ada.key()).send().json();
			assertThat(endpoint.get("enabled").asBoolean()).isFalse();
			assertThat(endpoint.get("disabled_reason").asString()).contains("410");

			JsonNode failed = settledDelivery(ada, brokenId);
			assertThat(failed.get("status").asString()).isEqualTo("failed");
			assertThat(failed.get("attempt_count").asInt()).isEqualTo(3);
			JsonNode counted = api.get("/api/v1/webhook-endpoints/" + brokenId).bearer(ada.key()).send().json();
			assertThat(counted.get("consecutive_failures").asInt()).isEqualTo(1);

			Response refused = api.post("/api/v1/webhook-endpoints/" + goneId + "/test").bearer(ada.key()).send();
			assertThat(refused.status()).isEqualTo(409);
			assertThat(refused.json().get("code").asString()).isEqualTo("endpoint_disabled");
			Response enabled = api.patch("/api/v1/webhook-endpoints/" + goneId, Map.of("enabled", true))
				.bearer(ada.key())
				.send();
			assertThat(enabled.json().get("enabled").asBoolean()).isTrue();
			Response redelivered = api
				.post("/api/v1/webhook-deliveries/" + goneDelivery.get("id").asString() + "/redeliver")
				.bearer(ada.key())
				.send();
			assertThat(redelivered.status()).isEqualTo(202);
			assertThat(gone.next().id()).isEqualTo(gone.next().id());
		}
	}

	@Test
	void testEventsReachOnlyTheirEndpoint() throws Exception {
		Party ada = customer();
		try (Receiver receiver = new Receiver()) {
			String id = endpoint(ada, receiver.url(), List.of("refund.created")).get("id").asString();
			Response sent = api.post("/api/v1/webhook-endpoints/" + id + "/test").bearer(ada.key()).send();
			assertThat(sent.status()).isEqualTo(202);
			JsonNode event = TestApi.json().readTree(receiver.next().body());
			assertThat(event.get("type").asString()).isEqualTo("webhook.test");
			assertThat(event.get("data").get("endpoint_id").asString()).isEqualTo(id);
		}
	}

	@Test
	void anOwnerHasAtMostSixteenEndpointsAlsoWhenCreatingThemAtOnce() throws Exception {
		Party ada = customer();
		for (int i = 0; i < 12; i++) {
			endpoint(ada, "https://hooks.example.test/ada/" + i, List.of());
		}
		List<Integer> statuses;
		try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
			List<Future<Integer>> answers = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				String url = "https://hooks.example.test/ada/racing-" + i;
				answers.add(threads.submit(() -> api.post("/api/v1/webhook-endpoints", Map.of("url", url))
					.bearer(ada.key())
					.send()
					.status()));
			}
			statuses = new ArrayList<>();
			for (Future<Integer> answer : answers) {
				statuses.add(answer.get());
			}
		}
		assertThat(statuses).filteredOn(status -> status == 201).hasSize(4);
		assertThat(statuses).filteredOn(status -> status == 422).hasSize(4);
		assertThat(api.get("/api/v1/webhook-endpoints?limit=100").bearer(ada.key()).send().json().get("items")).hasSize(16);
		Response refused = api.post("/api/v1/webhook-endpoints", Map.of("url", "https://hooks.example.test/ada/17"))
			.bearer(ada.key())
			.send();
		assertThat(refused.json().get("code").asString()).isEqualTo("endpoint_limit_reached");
		// Another owner is not affected.
		endpoint(customer(), "https://hooks.example.test/bob", List.of());
	}

	@Test
	void endpointsAreTheirOwnersAlone() {
		Party ada = customer();
		Party bob = customer();
		String id = endpoint(ada, "https://hooks.example.test/ada", List.of()).get("id").asString();
		assertThat(api.get("/api/v1/webhook-endpoints/" + id).bearer(bob.key()).send().status()).isEqualTo(404);
		assertThat(api.get("/api/v1/webhook-endpoints").bearer(bob.key()).send().json().get("items")).isEmpty();
		assertThat(api.get("/api/v1/webhook-endpoints").bearer(ada.key()).send().json().get("items")).hasSize(1);
		Response refused = api.post("/api/v1/webhook-endpoints", Map.of("url", "ftp://files.example.test/x"))
			.bearer(ada.key())
			.send();
		assertThat(refused.status()).isEqualTo(422);
		assertThat(refused.json().get("code").asString()).isEqualTo("url_not_allowed");
		Response unknown = api.post("/api/v1/webhook-endpoints",
				Map.of("url", "https://hooks.example.test/x", "event_types", List.of("charge.exploded")))
			.bearer(ada.key())
			.send();
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(api.delete("/api/v1/webhook-endpoints/" + id).bearer(ada.key()).send().status()).isEqualTo(204);
		assertThat(api.get("/api/v1/webhook-endpoints/" + id).bearer(ada.key()).send().status()).isEqualTo(404);
	}
}
