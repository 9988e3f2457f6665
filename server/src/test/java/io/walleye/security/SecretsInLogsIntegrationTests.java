package io.walleye.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's walkthrough (register, keys, sign-in, wallets, charge, events, operators), with some failures on the
 * way (a wrong password, a revoked key, a bad body), and then a look through everything the process printed meanwhile
 * for each key, token and password used, with debug logging on.
 */
@WalleyeIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class SecretsInLogsIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	LoggingSystem logging;

	private static final List<String> VERBOSE = List.of("io.walleye", "org.springframework.security",
			"org.springframework.web");

	/** DEBUG while the walkthrough runs: a secret that would leak only in debug output is found too. */
	@BeforeEach
	void verbose() {
		VERBOSE.forEach(logger -> logging.setLogLevel(logger, LogLevel.DEBUG));
	}

	@AfterEach
	void quiet() {
		VERBOSE.forEach(logger -> logging.setLogLevel(logger, null));
	}

	@Test
	void noKeyTokenOrPasswordOfTheWalkthroughIsLogged(CapturedOutput output) {
		List<String> secrets = new ArrayList<>();
		String customer = created(api.post("/api/v1/customers", owner()).send(), "api_key", secrets);
		String business = created(api.post("/api/v1/businesses", owner()).send(), "api_key", secrets);
		String wallet = api.post("/api/v1/wallets", Map.of("currency", "EUR")).bearer(customer).send().json()
			.get("token").asString();
		api.post("/api/v1/wallets", Map.of()).bearer(business).send();
		api.post("/api/v1/wallets/" + wallet + "/deposits", Map.of("amount", "50.00")).bearer(customer).send();
		api.post("/api/v1/charges", Map.of("wallet_token", wallet, "amount", "12.50", "invoice", "INV-" + UUID.randomUUID()))
			.bearer(business).header("Idempotency-Key", "order-" + UUID.randomUUID()).send();
		String second = created(api.post("/api/v1/api-keys").bearer(customer).send(), "api_key", secrets);

		secrets.add(TestApi.ADMIN_PASSWORD);
		String token = created(api.post("/api/v1/auth/login", Map.of("username", "admin", "password", TestApi.ADMIN_PASSWORD))
			.send(), "access_token", secrets);
		String wrongPassword = "not-the-password-" + UUID.randomUUID();
		secrets.add(wrongPassword);
		api.post("/api/v1/auth/login", Map.of("username", "admin", "password", wrongPassword)).send();
		String operatorPassword = "operator-password-" + UUID.randomUUID();
		secrets.add(operatorPassword);
		api.post("/api/v1/operators", Map.of("username", "logs-" + UUID.randomUUID().toString().substring(0, 8),
				"password", operatorPassword)).bearer(token).send();

		String application = created(api.post("/api/v1/applications", Map.of("name", "logs-" + UUID.randomUUID()))
			.bearer(token).send(), "api_key", secrets);
		String session = UUID.randomUUID().toString();
		api.post("/api/v1/events", List.of(Map.of("session_id", session, "category", "page interaction", "name",
				"pageview", "timestamp", "2021-01-01 09:15:27.243860", "data", Map.of("host", "a.example", "path", "/"))))
			.bearer(application).send();
		api.post("/api/v1/events", "{not json").bearer(application).send();

		String revoked = api.get("/api/v1/api-keys").bearer(customer).send().json().get("items").get(0).get("id")
			.asString();
		api.delete("/api/v1/api-keys/" + revoked).bearer(second).send();
		api.get("/api/v1/wallets").bearer("wk_" + "made-up-" + UUID.randomUUID()).send();
		api.post("/api/v1/auth/logout").bearer(token).send();
		api.get("/api/v1/auth/me").bearer(token).send();

		assertThat(secrets).hasSizeGreaterThanOrEqualTo(8);
		String logged = output.getAll();
		assertThat(logged).as("the walkthrough logged something to scan").isNotBlank();
		for (String secret : secrets) {
			assertThat(logged).as("log output must not contain a secret").doesNotContain(secret);
		}
	}

	private static Map<String, String> owner() {
		return Map.of("name", "Ada Lovelace", "email", UUID.randomUUID() + "@example.test");
	}

	private static String created(Response response, String field, List<String> secrets) {
		assertThat(response.status()).as(response.toString()).isBetween(200, 201);
		String secret = response.json().get(field).asString();
		secrets.add(secret);
		return secret;
	}
}
