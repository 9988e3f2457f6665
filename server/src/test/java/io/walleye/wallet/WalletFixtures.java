package io.walleye.wallet;

import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;
import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;

/** Registers owners and opens wallets over HTTP, with unique emails so tests never collide in the shared database. */
final class WalletFixtures {

	private final TestApi api;

	WalletFixtures(TestApi api) {
		this.api = api;
	}

	record Party(String key, String wallet) {
	}

	/** A business with the principal its requests carry, for tests that call the wallet services directly. */
	record Business(Principal principal, Party party) {
	}

	String register(String kind) {
		return registered(kind).get("api_key").asString();
	}

	private JsonNode registered(String kind) {
		Response response = api
			.post("/api/v1/" + kind, Map.of("name", kind + " test", "email", UUID.randomUUID() + "@example.test"))
			.send();
		if (response.status() != 201) {
			throw new IllegalStateException(response.toString());
		}
		return response.json();
	}

	String openWallet(String key, String currency) {
		Response response = api.post("/api/v1/wallets", Map.of("currency", currency)).bearer(key).send();
		if (response.status() != 201) {
			throw new IllegalStateException(response.toString());
		}
		return response.json().get("token").asString();
	}

	Party customer(String deposit) {
		String key = register("customers");
		String wallet = openWallet(key, "EUR");
		if (deposit != null) {
			deposit(key, wallet, deposit);
		}
		return new Party(key, wallet);
	}

	Party business() {
		String key = register("businesses");
		return new Party(key, openWallet(key, "EUR"));
	}

	/** A business with a wallet, and its principal as the API key's authentication would make it. */
	Business businessWithPrincipal() {
		JsonNode registered = registered("businesses");
		String key = registered.get("api_key").asString();
		return new Business(new Principal(PrincipalType.BUSINESS, UUID.fromString(registered.get("id").asString()),
				UUID.randomUUID(), null), new Party(key, openWallet(key, "EUR")));
	}

	JsonNode deposit(String key, String wallet, String amount) {
		Response response = api.post("/api/v1/wallets/" + wallet + "/deposits", Map.of("amount", amount))
			.bearer(key)
			.send();
		if (response.status() != 201) {
			throw new IllegalStateException(response.toString());
		}
		return response.json();
	}

	Response charge(Party business, String wallet, String amount, String invoice) {
		return api.post("/api/v1/charges", Map.of("wallet_token", wallet, "amount", amount, "invoice", invoice))
			.bearer(business.key())
			.send();
	}

	String balance(Party party) {
		return api.get("/api/v1/wallets/" + party.wallet()).bearer(party.key()).send().json().get("balance").asString();
	}
}
