package io.walleye.webhooks;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;

import static org.assertj.core.api.Assertions.assertThat;

/** Parties with a wallet for the webhook and change-feed tests, and deposits, each of which emits an event. */
final class WebhookFixtures {

	private WebhookFixtures() {
	}

	record Party(String key, String wallet, UUID id) {
	}

	/** A new customer ({@code kind} "customers") or business ("businesses") with a EUR wallet. */
	static Party party(TestApi api, String kind) {
		String key = api
			.post("/api/v1/" + kind, Map.of("name", kind + " hooks", "email", UUID.randomUUID() + "@example.test"))
			.send()
			.json()
			.get("api_key")
			.asString();
		String wallet = api.post("/api/v1/wallets", Map.of("currency", "EUR")).bearer(key).send().json().get("token")
			.asString();
		UUID id = UUID.fromString(api.get("/api/v1/auth/me").bearer(key).send().json().get("id").asString());
		return new Party(key, wallet, id);
	}

	/** A webhook endpoint of the party's for these event types (201 required), as the API answered it. */
	static JsonNode endpoint(TestApi api, Party party, String url, List<String> types) {
		Response created = api.post("/api/v1/webhook-endpoints", Map.of("url", url, "event_types", types))
			.bearer(party.key())
			.send();
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json();
	}

	static void deposit(TestApi api, Party party, String amount) {
		Response response = api.post("/api/v1/wallets/" + party.wallet() + "/deposits", Map.of("amount", amount))
			.bearer(party.key())
			.send();
		assertThat(response.status()).as(response.body()).isEqualTo(201);
	}

}
