package io.walleye.wallet;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;
import io.walleye.wallet.WalletFixtures.Party;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the wallet answers is what it stored, and every input gets a precise, fast answer: instants, huge amounts,
 * the wallets list, CSV history and its parameters. Over HTTP against the real PostgreSQL.
 */
@WalleyeIntegrationTest
class WalletAnswersIntegrationTests {

	@Autowired
	TestApi api;

	WalletFixtures fixtures;

	@BeforeEach
	void setUp() {
		fixtures = new WalletFixtures(api);
	}

	@Test
	void theCreatedAtOfEveryAnswerIsTheStoredOne() {
		Party customer = fixtures.customer(null);
		Party business = fixtures.business();
		Map<String, String> keyOfWallet = Map.of(customer.wallet(), customer.key(), business.wallet(), business.key());
		List<JsonNode> answers = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			answers.add(fixtures.deposit(customer.key(), customer.wallet(), "1.00"));
			Response rejected = api.post("/api/v1/wallets/" + customer.wallet() + "/withdrawals",
					Map.of("amount", "1000.00"))
				.bearer(customer.key())
				.send();
			assertThat(rejected.status()).isEqualTo(402);
			answers.add(rejected.json().get("operation"));
			Response charged = fixtures.charge(business, customer.wallet(), "0.50", "AT-" + i);
			assertThat(charged.status()).isEqualTo(201);
			answers.add(charged.json());
			Response refunded = api
				.post("/api/v1/charges/" + charged.json().get("id").asString() + "/refunds", Map.of("amount", "0.10"))
				.bearer(business.key())
				.send();
			assertThat(refunded.status()).isEqualTo(201);
			answers.add(refunded.json());
		}
		Map<String, String> stored = new HashMap<>();
		for (Party party : List.of(customer, business)) {
			api.get("/api/v1/wallets/" + party.wallet() + "/operations?limit=500")
				.bearer(party.key())
				.send()
				.json()
				.get("items")
				.forEach(item -> stored.put(item.get("id").asString(), item.get("created_at").asString()));
		}
		for (JsonNode answer : answers) {
			String createdAt = answer.get("created_at").asString();
			assertThat(stored.get(answer.get("id").asString())).as("stored created_at of %s", answer)
				.isEqualTo(createdAt);
			String wallet = answer.get("wallet_token").asString();
			JsonNode balance = api
				.get("/api/v1/wallets/" + wallet + "/balance?at=" + URLEncoder.encode(createdAt, StandardCharsets.UTF_8))
				.bearer(keyOfWallet.get(wallet))
				.send()
				.json();
			assertThat(balance.get("balance").asString()).as("balance at the created_at of %s", answer)
				.isEqualTo(answer.get("balance_after").asString());
		}
	}

	@Test
	void hugeOrOverlongAmountsAreRefusedOnTheFieldAtOnce() {
		Party customer = fixtures.customer("5.00");
		Party business = fixtures.business();
		Response charge = fixtures.charge(business, customer.wallet(), "1.00", "HUGE-0");
		String deposits = "/api/v1/wallets/" + customer.wallet() + "/deposits";
		String refunds = "/api/v1/charges/" + charge.json().get("id").asString() + "/refunds";
		String digits = "1".repeat(5001);
		List<String> amounts = List.of("\"1E+999999999\"", "1E+999999999", "\"1E+20000000\"", "1E+20000000",
				"\"-1E+999999999\"", "\"1E-999999999\"", "0.1E+999999999", "\"" + digits + "\"", "\"0." + digits + "\"",
				"1" + "0".repeat(900), "\"1e\"");
		for (String amount : amounts) {
			List<Response> answers = new ArrayList<>();
			long started = System.nanoTime();
			answers.add(api.post(deposits, "{\"amount\": " + amount + "}").bearer(customer.key()).send());
			answers.add(api.post("/api/v1/charges",
					"{\"wallet_token\": \"" + customer.wallet() + "\", \"invoice\": \"HUGE-1\", \"amount\": " + amount
							+ "}")
				.bearer(business.key())
				.send());
			answers.add(api.post(refunds, "{\"amount\": " + amount + "}").bearer(business.key()).send());
			long millis = (System.nanoTime() - started) / 1_000_000;
			for (Response answer : answers) {
				assertThat(answer.status()).as("%s: %s", amount.substring(0, Math.min(40, amount.length())), answer)
					.isEqualTo(400);
				assertThat(answer.json().get("code").asString()).isEqualTo("validation_failed");
				assertThat(answer.json().get("errors").get(0).get("field").asString()).isEqualTo("amount");
			}
			// A sanity bound, not a benchmark: before, one of these took seconds of CPU.
			assertThat(millis).as("three answers for %s", amount.substring(0, Math.min(40, amount.length())))
				.isLessThan(3_000);
		}
		assertThat(api.post(deposits, "{\"amount\": \"" + digits + "\"}")
			.bearer(customer.key())
			.send()
			.json()
			.get("errors")
			.get(0)
			.get("message")
			.asString()).contains("too long");
		assertThat(fixtures.balance(customer)).isEqualTo("4.00");
	}

	@Test
	void theWalletsListIsPagedWithACursor() {
		String customer = fixtures.register("customers");
		List<String> opened = List.of(fixtures.openWallet(customer, "EUR"), fixtures.openWallet(customer, "USD"),
				fixtures.openWallet(customer, "JPY"));
		List<String> listed = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = api.get("/api/v1/wallets?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
				.bearer(customer)
				.send()
				.json();
			page.get("items").forEach(item -> listed.add(item.get("token").asString()));
			cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
			pages++;
		}
		while (cursor != null);
		assertThat(pages).isEqualTo(2);
		assertThat(listed).isEqualTo(opened);
		JsonNode all = api.get("/api/v1/wallets").bearer(customer).send().json();
		assertThat(all.get("items").size()).isEqualTo(3);
		assertThat(all.has("next_cursor")).isTrue();
		assertThat(api.get("/api/v1/wallets?limit=0").bearer(customer).send().status()).isEqualTo(400);
		assertThat(api.get("/api/v1/wallets?cursor=garbage").bearer(customer).send().status()).isEqualTo(400);
	}

	@Test
	void aRefundRowOfTheCsvNamesItsCharge() {
		Party customer = fixtures.customer("5.00");
		Party business = fixtures.business();
		String chargeId = fixtures.charge(business, customer.wallet(), "2.00", "CSV-1").json().get("id").asString();
		String refundId = api.post("/api/v1/charges/" + chargeId + "/refunds", Map.of("amount", "0.50"))
			.bearer(business.key())
			.send()
			.json()
			.get("id")
			.asString();
		String[] lines = api.get("/api/v1/wallets/" + customer.wallet() + "/operations?format=csv")
			.bearer(customer.key())
			.send()
			.body()
			.split("\n");
		List<String> header = List.of(lines[0].split(","));
		int column = header.indexOf("charge_id");
		assertThat(column).as("charge_id column in %s", lines[0]).isPositive();
		String refundRow = List.of(lines).stream().filter(line -> line.startsWith(refundId)).findFirst().orElseThrow();
		assertThat(refundRow.split(",", -1)[column]).isEqualTo(chargeId);
		String chargeRow = List.of(lines).stream().filter(line -> line.startsWith(chargeId)).findFirst().orElseThrow();
		assertThat(chargeRow.split(",", -1)[column]).isEmpty();
	}

	@Test
	void csvModeRefusesAndHonoursLimitAndCursorAsJsonDoes() {
		Party customer = fixtures.customer(null);
		for (int i = 1; i <= 5; i++) {
			fixtures.deposit(customer.key(), customer.wallet(), i + ".00");
		}
		String operations = "/api/v1/wallets/" + customer.wallet() + "/operations";
		for (String mode : List.of("?format=csv&", "?")) {
			Response zero = api.get(operations + mode + "limit=0").bearer(customer.key()).header("Accept", "text/csv").send();
			assertThat(zero.status()).as(mode).isEqualTo(400);
			assertThat(zero.contentType()).startsWith("application/problem+json");
			assertThat(zero.json().get("errors").get(0).get("field").asString()).isEqualTo("limit");
			Response garbage = api.get(operations + mode + "cursor=garbage")
				.bearer(customer.key())
				.header("Accept", "text/csv")
				.send();
			assertThat(garbage.status()).as(mode).isEqualTo(400);
			assertThat(garbage.json().get("code").asString()).isEqualTo("invalid_cursor");
		}
		String cursor = api.get(operations + "?limit=2").bearer(customer.key()).send().json().get("next_cursor").asString();
		String[] rest = api.get(operations + "?format=csv&limit=2&cursor=" + cursor)
			.bearer(customer.key())
			.send()
			.body()
			.split("\n");
		assertThat(rest).hasSize(1 + 2);
		assertThat(rest[1]).contains(",3.00,");
		assertThat(rest[2]).contains(",2.00,");
	}

	@Test
	void anUnknownFormatIsRefusedNamingTheParameter() {
		Party customer = fixtures.customer(null);
		String operations = "/api/v1/wallets/" + customer.wallet() + "/operations";
		for (String accept : List.of("application/json", "text/csv")) {
			Response xml = api.get(operations + "?format=xml").bearer(customer.key()).header("Accept", accept).send();
			assertThat(xml.status()).as(accept).isEqualTo(400);
			assertThat(xml.json().get("errors").get(0).get("field").asString()).isEqualTo("format");
		}
		assertThat(api.get(operations + "?format=json").bearer(customer.key()).send().json().has("items")).isTrue();
	}

	@Test
	void theApiDocumentDeclaresTheFormatTheCsvAndTheAmountAsText() {
		JsonNode docs = api.get("/v3/api-docs").send().json();
		JsonNode history = docs.get("paths").get("/api/v1/wallets/{token}/operations").get("get");
		List<String> parameters = new ArrayList<>();
		history.get("parameters").forEach(parameter -> parameters.add(parameter.get("name").asString()));
		assertThat(parameters).contains("format", "limit", "cursor");
		assertThat(history.get("responses").get("200").get("content").has("text/csv")).isTrue();
		assertThat(history.get("responses").has("400")).isTrue();
		List<String> listParameters = new ArrayList<>();
		docs.get("paths").get("/api/v1/wallets").get("get").get("parameters")
			.forEach(parameter -> listParameters.add(parameter.get("name").asString()));
		assertThat(listParameters).contains("limit", "cursor");
		JsonNode schemas = docs.get("components").get("schemas");
		assertThat(schemas.get("AmountRequest").toString()).as("the amount of a deposit").contains("\"string\"");
		assertThat(schemas.toString()).doesNotContain("\"text\"");
	}
}
