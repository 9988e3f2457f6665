package io.walleye.bench.wallet;

import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.walleye.bench.Setup;

/** Businesses with a wallet and customers with a well-funded EUR wallet, created through the API before a run. */
public record FundedParties(String[] businessKeys, String[] walletTokens) {

	public static FundedParties prepare(Setup setup, int customers, int businesses, String prefix) throws Exception {
		System.out.printf("preparing %d customers (wallet + deposit) and %d businesses (wallet)%n", customers,
				businesses);
		String[] businessKeys = Setup.parallel("businesses", businesses, 32, String[]::new, i -> {
			JsonNode business = setup.post("/api/v1/businesses", null,
					Map.of("name", "Shop " + i, "email", "shop-" + prefix + "-" + i + "@bench.test"), 201);
			String key = business.get("api_key").asString();
			setup.post("/api/v1/wallets", key, Map.of("currency", "EUR"), 201);
			return key;
		});
		String[] walletTokens = Setup.parallel("customers", customers, 32, String[]::new, i -> {
			JsonNode customer = setup.post("/api/v1/customers", null,
					Map.of("name", "Customer " + i, "email", "c-" + prefix + "-" + i + "@bench.test"), 201);
			String key = customer.get("api_key").asString();
			String token = setup.post("/api/v1/wallets", key, Map.of("currency", "EUR"), 201).get("token").asString();
			setup.post("/api/v1/wallets/" + token + "/deposits", key, Map.of("amount", "1000000.00"), 201);
			return token;
		});
		return new FundedParties(businessKeys, walletTokens);
	}
}
