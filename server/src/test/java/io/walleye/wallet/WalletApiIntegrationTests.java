package io.walleye.wallet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;
import io.walleye.wallet.WalletFixtures.Party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wallet API's contract, driven over HTTP against the real PostgreSQL. */
@WalleyeIntegrationTest
class WalletApiIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	IdempotencyRetention retention;

	WalletFixtures fixtures;

	@BeforeEach
	void setUp() {
		fixtures = new WalletFixtures(api);
	}

	@Test
	void registrationReturnsAnApiKeyAndRefusesDuplicatesAndBadInput() {
		String email = UUID.randomUUID() + "@example.test";
		Response created = api.post("/api/v1/customers", Map.of("name", "Ada", "email", email)).send();
		assertThat(created.status()).isEqualTo(201);
		JsonNode body = created.json();
		assertThat(body.get("api_key").asString()).startsWith("wk_");
		assertThat(body.get("name").asString()).isEqualTo("Ada");
		assertThat(body.has("id")).isTrue();
		assertThat(body.has("created_at")).isTrue();

		Response duplicate = api.post("/api/v1/customers", Map.of("name", "Ada", "email", email.toUpperCase()))
			.send();
		assertThat(duplicate.status()).isEqualTo(409);
		assertThat(duplicate.contentType()).startsWith("application/problem+json");
		// The same email is free for the other kind of owner.
		assertThat(api.post("/api/v1/businesses", Map.of("name", "Ada's", "email", email)).send().status())
			.isEqualTo(201);

		Response invalid = api.post("/api/v1/businesses", Map.of("name", " ", "email", "not-an-email")).send();
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.json().get("errors").size()).isEqualTo(2);
	}

	@Test
	void walletsAreOpenedListedAndHiddenFromOthers() {
		String customer = fixtures.register("customers");
		Response opened = api.post("/api/v1/wallets", Map.of()).bearer(customer).send();
		assertThat(opened.status()).isEqualTo(201);
		JsonNode wallet = opened.json();
		assertThat(wallet.get("token").asString()).startsWith("wal_").hasSize(28);
		assertThat(wallet.get("currency").asString()).isEqualTo("EUR");
		assertThat(wallet.get("balance").asString()).isEqualTo("0.00");
		assertThat(wallet.get("owner_type").asString()).isEqualTo("customer");
		fixtures.openWallet(customer, "JPY");
		assertThat(api.get("/api/v1/wallets").bearer(customer).send().json().get("items").size()).isEqualTo(2);

		String other = fixtures.register("customers");
		Response foreign = api.get("/api/v1/wallets/" + wallet.get("token").asString()).bearer(other).send();
		assertThat(foreign.status()).isEqualTo(404);
		assertThat(api.post("/api/v1/wallets", Map.of("currency", "XYZ")).bearer(customer).send().status())
			.isEqualTo(400);

		String business = fixtures.register("businesses");
		fixtures.openWallet(business, "EUR");
		Response second = api.post("/api/v1/wallets", Map.of("currency", "EUR")).bearer(business).send();
		assertThat(second.status()).isEqualTo(409);
		assertThat(api.get("/api/v1/wallets").send().status()).isEqualTo(401);
	}

	@Test
	void depositsTakeExactDecimalAmountsAndRefuseBadOnes() {
		Party customer = fixtures.customer(null);
		Response deposit = api.post("/api/v1/wallets/" + customer.wallet() + "/deposits",
				Map.of("amount", "12.50", "description", "top-up"))
			.bearer(customer.key())
			.send();
		assertThat(deposit.status()).isEqualTo(201);
		JsonNode operation = deposit.json();
		assertThat(operation.get("type").asString()).isEqualTo("deposit");
		assertThat(operation.get("status").asString()).isEqualTo("accepted");
		assertThat(operation.get("direction").asString()).isEqualTo("credit");
		assertThat(operation.get("amount").asString()).isEqualTo("12.50");
		assertThat(operation.get("balance_after").asString()).isEqualTo("12.50");
		assertThat(operation.get("counterparty").get("kind").asString()).isEqualTo("external");
		// A JSON number is read from its text, never through a double.
		assertThat(api.post("/api/v1/wallets/" + customer.wallet() + "/deposits", "{\"amount\": 0.1}")
			.bearer(customer.key())
			.send()
			.json()
			.get("balance_after")
			.asString()).isEqualTo("12.60");

		for (String bad : List.of("1.001", "0", "-5", "1000000.01", "abc")) {
			Response refused = api.post("/api/v1/wallets/" + customer.wallet() + "/deposits", Map.of("amount", bad))
				.bearer(customer.key())
				.send();
			assertThat(refused.status()).as(bad).isEqualTo(400);
			assertThat(refused.contentType()).startsWith("application/problem+json");
		}
		assertThat(fixtures.balance(customer)).isEqualTo("12.60");
	}

	@Test
	void aWithdrawalBeyondTheBalanceIs402AndRecorded() {
		Party customer = fixtures.customer("10.00");
		Response refused = api.post("/api/v1/wallets/" + customer.wallet() + "/withdrawals", Map.of("amount", "10.01"))
			.bearer(customer.key())
			.send();
		assertThat(refused.status()).isEqualTo(402);
		assertThat(refused.json().get("code").asString()).isEqualTo("insufficient_funds");
		String rejectedId = refused.json().get("operation_id").asString();
		Response ok = api.post("/api/v1/wallets/" + customer.wallet() + "/withdrawals", Map.of("amount", "4"))
			.bearer(customer.key())
			.send();
		assertThat(ok.status()).isEqualTo(201);
		assertThat(ok.json().get("balance_after").asString()).isEqualTo("6.00");
		JsonNode history = api.get("/api/v1/wallets/" + customer.wallet() + "/operations?type=withdrawal")
			.bearer(customer.key())
			.send()
			.json();
		assertThat(history.get("items").size()).isEqualTo(2);
		assertThat(history.get("items").get(1).get("id").asString()).isEqualTo(rejectedId);
		assertThat(history.get("items").get(1).get("status").asString()).isEqualTo("rejected");
		assertThat(history.get("items").get(1).get("reason").asString()).isEqualTo("insufficient_funds");
	}

	@Test
	void aChargeMovesMoneyAndAFailedOneShowsInBothHistories() {
		Party customer = fixtures.customer("20.00");
		Party business = fixtures.business();
		Response charged = fixtures.charge(business, customer.wallet(), "15.00", "INV-1");
		assertThat(charged.status()).isEqualTo(201);
		JsonNode operation = charged.json();
		assertThat(operation.get("type").asString()).isEqualTo("charge");
		assertThat(operation.get("direction").asString()).isEqualTo("credit");
		assertThat(operation.get("wallet_token").asString()).isEqualTo(business.wallet());
		assertThat(operation.get("counterparty").get("wallet_token").asString()).isEqualTo(customer.wallet());
		assertThat(operation.get("invoice").asString()).isEqualTo("INV-1");
		assertThat(operation.get("refunded_amount").asString()).isEqualTo("0.00");

		Response failed = fixtures.charge(business, customer.wallet(), "5.01", "INV-2");
		assertThat(failed.status()).isEqualTo(402);
		assertThat(failed.contentType()).startsWith("application/problem+json");
		String failedId = failed.json().get("operation_id").asString();

		assertThat(fixtures.balance(customer)).isEqualTo("5.00");
		assertThat(fixtures.balance(business)).isEqualTo("15.00");
		for (Party party : List.of(customer, business)) {
			JsonNode items = api.get("/api/v1/wallets/" + party.wallet() + "/operations?type=charge")
				.bearer(party.key())
				.send()
				.json()
				.get("items");
			assertThat(items.size()).isEqualTo(2);
			assertThat(items.get(0).get("id").asString()).isEqualTo(failedId);
			assertThat(items.get(0).get("status").asString()).isEqualTo("rejected");
		}
		JsonNode customerView = api.get("/api/v1/wallets/" + customer.wallet() + "/operations?status=accepted&type=charge")
			.bearer(customer.key())
			.send()
			.json()
			.get("items")
			.get(0);
		assertThat(customerView.get("direction").asString()).isEqualTo("debit");
		assertThat(customerView.get("balance_after").asString()).isEqualTo("5.00");
		assertThat(customerView.get("counterparty").get("owner_type").asString()).isEqualTo("business");
	}

	@Test
	void anInvoiceIsChargedAtMostOnceButRejectedAttemptsMayBeRetried() {
		Party customer = fixtures.customer("10.00");
		Party business = fixtures.business();
		assertThat(fixtures.charge(business, customer.wallet(), "50.00", "INV-R").status()).isEqualTo(402);
		Response accepted = fixtures.charge(business, customer.wallet(), "3.00", "INV-R");
		assertThat(accepted.status()).isEqualTo(201);
		Response duplicate = fixtures.charge(business, customer.wallet(), "3.00", "INV-R");
		assertThat(duplicate.status()).isEqualTo(409);
		assertThat(duplicate.json().get("code").asString()).isEqualTo("duplicate_invoice");
		assertThat(duplicate.json().get("operation_id").asString()).isEqualTo(accepted.json().get("id").asString());
		assertThat(fixtures.balance(customer)).isEqualTo("7.00");
		// Another business may use the same invoice text.
		assertThat(fixtures.charge(fixtures.business(), customer.wallet(), "1.00", "INV-R").status()).isEqualTo(201);
	}

	@Test
	void chargesThatCannotBeMadeAreRefusedWithoutARecord() {
		Party customer = fixtures.customer("10.00");
		Party business = fixtures.business();
		assertThat(fixtures.charge(business, "wal_unknown", "1.00", "X").status()).isEqualTo(404);
		String usdKey = fixtures.register("customers");
		String usd = fixtures.openWallet(usdKey, "USD");
		assertThat(fixtures.charge(business, usd, "1.00", "X").status()).isEqualTo(422);
		Party noWallet = new Party(fixtures.register("businesses"), "");
		Response response = fixtures.charge(noWallet, customer.wallet(), "1.00", "X");
		assertThat(response.status()).isEqualTo(422);
		assertThat(response.json().get("code").asString()).isEqualTo("business_has_no_wallet");
		assertThat(fixtures.charge(business, customer.wallet(), "1.00", "x".repeat(65)).status()).isEqualTo(400);
		assertThat(api.post("/api/v1/charges", Map.of("wallet_token", customer.wallet(), "amount", "1", "invoice", "Y"))
			.bearer(customer.key())
			.send()
			.status()).isEqualTo(403);
	}

	@Test
	void refundsAreCappedByTheChargeAndNeedTheBusinessFunds() {
		Party customer = fixtures.customer("100.00");
		Party business = fixtures.business();
		String chargeId = fixtures.charge(business, customer.wallet(), "30.00", "INV-F").json().get("id").asString();
		Response partial = api.post("/api/v1/charges/" + chargeId + "/refunds", Map.of("amount", "10.00"))
			.bearer(business.key())
			.send();
		assertThat(partial.status()).isEqualTo(201);
		assertThat(partial.json().get("type").asString()).isEqualTo("refund");
		assertThat(partial.json().get("direction").asString()).isEqualTo("debit");
		assertThat(partial.json().get("charge_id").asString()).isEqualTo(chargeId);
		Response tooMuch = api.post("/api/v1/charges/" + chargeId + "/refunds", Map.of("amount", "20.01"))
			.bearer(business.key())
			.send();
		assertThat(tooMuch.status()).isEqualTo(422);
		Response rest = api.post("/api/v1/charges/" + chargeId + "/refunds").bearer(business.key()).send();
		assertThat(rest.status()).isEqualTo(201);
		assertThat(rest.json().get("amount").asString()).isEqualTo("20.00");
		assertThat(fixtures.balance(customer)).isEqualTo("100.00");
		assertThat(api.post("/api/v1/charges/" + chargeId + "/refunds").bearer(business.key()).send().status())
			.isEqualTo(422);
		assertThat(api.post("/api/v1/charges/" + chargeId + "/refunds")
			.bearer(fixtures.business().key())
			.send()
			.status()).isEqualTo(404);

		// The business spent its money: the refund is refused for lack of funds, and recorded.
		String second = fixtures.charge(business, customer.wallet(), "5.00", "INV-G").json().get("id").asString();
		api.post("/api/v1/wallets/" + business.wallet() + "/withdrawals", Map.of("amount", "5.00"))
			.bearer(business.key())
			.send();
		Response short402 = api.post("/api/v1/charges/" + second + "/refunds").bearer(business.key()).send();
		assertThat(short402.status()).isEqualTo(402);
		JsonNode charges = api.get("/api/v1/wallets/" + customer.wallet() + "/operations?type=refund&status=rejected")
			.bearer(customer.key())
			.send()
			.json()
			.get("items");
		assertThat(charges.size()).isEqualTo(1);
		JsonNode original = api.get("/api/v1/wallets/" + customer.wallet() + "/operations?type=charge")
			.bearer(customer.key())
			.send()
			.json()
			.get("items");
		assertThat(original.get(1).get("refunded_amount").asString()).isEqualTo("30.00");
	}

	@Test
	void anIdempotencyKeyReplaysTheFirstResponseAndRefusesAnotherBody() {
		Party customer = fixtures.customer("10.00");
		Party business = fixtures.business();
		String key = UUID.randomUUID().toString();
		Map<String, String> body = Map.of("wallet_token", customer.wallet(), "amount", "4.00", "invoice", "INV-I");
		Response first = api.post("/api/v1/charges", body).bearer(business.key()).header("Idempotency-Key", key).send();
		Response again = api.post("/api/v1/charges", body).bearer(business.key()).header("Idempotency-Key", key).send();
		assertThat(first.status()).isEqualTo(201);
		assertThat(first.header("Idempotent-Replayed")).isEmpty();
		assertThat(again.status()).isEqualTo(201);
		assertThat(again.header("Idempotent-Replayed")).contains("true");
		assertThat(again.json()).isEqualTo(first.json());
		assertThat(fixtures.balance(customer)).isEqualTo("6.00");

		Response other = api.post("/api/v1/charges", Map.of("wallet_token", customer.wallet(), "amount", "5.00",
				"invoice", "INV-I"))
			.bearer(business.key())
			.header("Idempotency-Key", key)
			.send();
		assertThat(other.status()).isEqualTo(422);
		assertThat(other.json().get("code").asString()).isEqualTo("idempotency_key_reused");

		// A rejected attempt (402) is replayed as such, not re-tried.
		String key402 = UUID.randomUUID().toString();
		Map<String, String> big = Map.of("wallet_token", customer.wallet(), "amount", "100.00", "invoice", "INV-J");
		Response rejected = api.post("/api/v1/charges", big).bearer(business.key()).header("Idempotency-Key", key402)
			.send();
		fixtures.deposit(customer.key(), customer.wallet(), "500.00");
		Response replayed = api.post("/api/v1/charges", big).bearer(business.key()).header("Idempotency-Key", key402)
			.send();
		assertThat(rejected.status()).isEqualTo(402);
		assertThat(replayed.status()).isEqualTo(402);
		assertThat(replayed.json().get("operation_id")).isEqualTo(rejected.json().get("operation_id"));

		String depositKey = UUID.randomUUID().toString();
		for (int i = 0; i < 3; i++) {
			assertThat(api.post("/api/v1/wallets/" + customer.wallet() + "/deposits", Map.of("amount", "1.00"))
				.bearer(customer.key())
				.header("Idempotency-Key", depositKey)
				.send()
				.status()).isEqualTo(201);
		}
		assertThat(fixtures.balance(customer)).isEqualTo("507.00");
	}

	@Test
	void anIdempotencyKeyIsForgottenAfterTheRetentionButItsInvoiceStaysChargedOnce() {
		Party customer = fixtures.customer("10.00");
		Party business = fixtures.business();
		String oldKey = UUID.randomUUID().toString();
		String freshKey = UUID.randomUUID().toString();
		Map<String, String> charge = Map.of("wallet_token", customer.wallet(), "amount", "4.00", "invoice", "INV-R");
		assertThat(api.post("/api/v1/charges", charge).bearer(business.key()).header("Idempotency-Key", oldKey).send()
			.status()).isEqualTo(201);
		assertThat(api.post("/api/v1/wallets/" + customer.wallet() + "/deposits", Map.of("amount", "1.00"))
			.bearer(customer.key())
			.header("Idempotency-Key", freshKey)
			.send()
			.status()).isEqualTo(201);
		// The charge's key was sent 25 hours ago, the deposit's just now.
		jdbc.sql("update idempotency_keys set created_at = created_at - interval '25 hours' where key = :key")
			.param("key", oldKey)
			.update();

		assertThat(retention.purge()).isGreaterThanOrEqualTo(1);

		assertThat(jdbc.sql("select count(*) from idempotency_keys where key in (:keys)")
			.param("keys", List.of(oldKey, freshKey))
			.query(Integer.class)
			.single()).isEqualTo(1);
		// The forgotten key runs as a new request: not a replay, and the invoice's database guard still refuses it.
		Response late = api.post("/api/v1/charges", charge).bearer(business.key()).header("Idempotency-Key", oldKey)
			.send();
		assertThat(late.status()).isEqualTo(409);
		assertThat(late.header("Idempotent-Replayed")).isEmpty();
		assertThat(late.json().get("code").asString()).isEqualTo("duplicate_invoice");
		assertThat(api.post("/api/v1/wallets/" + customer.wallet() + "/deposits", Map.of("amount", "1.00"))
			.bearer(customer.key())
			.header("Idempotency-Key", freshKey)
			.send()
			.header("Idempotent-Replayed")).contains("true");
		assertThat(fixtures.balance(customer)).isEqualTo("7.00");
	}

	@Test
	void historyPagesNewestFirstFiltersAndStreamsCsv() {
		Party customer = fixtures.customer(null);
		for (int i = 1; i <= 7; i++) {
			fixtures.deposit(customer.key(), customer.wallet(), i + ".00");
		}
		api.post("/api/v1/wallets/" + customer.wallet() + "/withdrawals", Map.of("amount", "1000"))
			.bearer(customer.key())
			.send();
		List<String> amounts = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = api
				.get("/api/v1/wallets/" + customer.wallet() + "/operations?type=deposit&limit=3"
						+ (cursor == null ? "" : "&cursor=" + cursor))
				.bearer(customer.key())
				.send()
				.json();
			page.get("items").forEach(item -> amounts.add(item.get("amount").asString()));
			cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
			pages++;
		}
		while (cursor != null);
		assertThat(pages).isEqualTo(3);
		assertThat(amounts).containsExactly("7.00", "6.00", "5.00", "4.00", "3.00", "2.00", "1.00");
		assertThat(api.get("/api/v1/wallets/" + customer.wallet() + "/operations?status=rejected")
			.bearer(customer.key())
			.send()
			.json()
			.get("items")
			.size()).isEqualTo(1);
		assertThat(api.get("/api/v1/wallets/" + customer.wallet() + "/operations?from=2100-01-01T00:00:00Z")
			.bearer(customer.key())
			.send()
			.json()
			.get("items")
			.size()).isZero();
		assertThat(api.get("/api/v1/wallets/" + customer.wallet() + "/operations?type=gift")
			.bearer(customer.key())
			.send()
			.status()).isEqualTo(400);
		assertThat(api.get("/api/v1/wallets/" + customer.wallet() + "/operations?cursor=nonsense")
			.bearer(customer.key())
			.send()
			.status()).isEqualTo(400);

		Response csv = api.get("/api/v1/wallets/" + customer.wallet() + "/operations")
			.bearer(customer.key())
			.header("Accept", "text/csv")
			.send();
		assertThat(csv.status()).isEqualTo(200);
		assertThat(csv.contentType()).startsWith("text/csv");
		String[] lines = csv.body().split("\n");
		assertThat(lines).hasSize(1 + 8);
		assertThat(lines[0]).startsWith("id,created_at,type,status");
		Response byParameter = api.get("/api/v1/wallets/" + customer.wallet() + "/operations?format=csv&type=deposit")
			.bearer(customer.key())
			.send();
		assertThat(byParameter.body().split("\n")).hasSize(1 + 7);
		assertThat(api.get("/api/v1/wallets/" + customer.wallet() + "/operations?format=csv")
			.bearer(fixtures.register("customers"))
			.send()
			.status()).isEqualTo(404);
	}

	@Test
	void balanceAtAnInstantAndStatement() throws Exception {
		Party customer = fixtures.customer("10.00");
		Thread.sleep(20);
		Instant between = Instant.now();
		Thread.sleep(20);
		fixtures.deposit(customer.key(), customer.wallet(), "5.00");
		api.post("/api/v1/wallets/" + customer.wallet() + "/withdrawals", Map.of("amount", "2.50"))
			.bearer(customer.key())
			.send();
		api.post("/api/v1/wallets/" + customer.wallet() + "/withdrawals", Map.of("amount", "99"))
			.bearer(customer.key())
			.send();
		JsonNode then = api.get("/api/v1/wallets/" + customer.wallet() + "/balance?at=" + between)
			.bearer(customer.key())
			.send()
			.json();
		assertThat(then.get("balance").asString()).isEqualTo("10.00");
		assertThat(then.get("currency").asString()).isEqualTo("EUR");
		assertThat(api.get("/api/v1/wallets/" + customer.wallet() + "/balance?at=2000-01-01T00:00:00Z")
			.bearer(customer.key())
			.send()
			.json()
			.get("balance")
			.asString()).isEqualTo("0.00");
		assertThat(api.get("/api/v1/wallets/" + customer.wallet() + "/balance")
			.bearer(customer.key())
			.send()
			.json()
			.get("balance")
			.asString()).isEqualTo("12.50");
		assertThat(api.get("/api/v1/wallets/" + customer.wallet() + "/balance?at=yesterday")
			.bearer(customer.key())
			.send()
			.status()).isEqualTo(400);

		JsonNode statement = api.get("/api/v1/wallets/" + customer.wallet() + "/statement?from=" + between)
			.bearer(customer.key())
			.send()
			.json();
		assertThat(statement.get("opening_balance").asString()).isEqualTo("10.00");
		assertThat(statement.get("closing_balance").asString()).isEqualTo("12.50");
		assertThat(statement.get("operations").size()).isEqualTo(3);
		Map<String, String> totals = new HashMap<>();
		statement.get("totals")
			.forEach(total -> totals.put(total.get("type").asString() + "/" + total.get("status").asString(),
					total.get("count").asLong() + "x" + total.get("amount").asString()));
		assertThat(totals).containsEntry("deposit/accepted", "1x5.00")
			.containsEntry("withdrawal/accepted", "1x2.50")
			.containsEntry("withdrawal/rejected", "1x99.00");
	}

	@Test
	void operatorsVerifyTheLedgerAndOthersMayNot() {
		Party customer = fixtures.customer("3.00");
		fixtures.charge(fixtures.business(), customer.wallet(), "1.00", "INV-V");
		Response verify = api.get("/api/v1/admin/ledger/verify").asAdmin().send();
		assertThat(verify.status()).isEqualTo(200);
		assertThat(verify.json().get("wallets_checked").asLong()).isPositive();
		assertThat(verify.json().get("mismatches").size()).isZero();
		assertThat(verify.json().get("postings_sum_by_currency").get("EUR").asString()).isEqualTo("0.00");
		assertThat(api.get("/api/v1/admin/ledger/verify").bearer(customer.key()).send().status()).isEqualTo(403);
	}

	@Test
	void theOperationLogRefusesUpdatesAndDeletes() {
		fixtures.customer("1.00");
		assertThatThrownBy(() -> jdbc.sql("update operations set amount = amount + 1").update())
			.hasMessageContaining("append-only");
		assertThatThrownBy(() -> jdbc.sql("delete from postings").update()).hasMessageContaining("append-only");
		assertThatThrownBy(() -> jdbc.sql("update wallets set balance = -1").update())
			.hasMessageContaining("check");
	}

	@Test
	void verificationFindsABalanceThatDoesNotMatchItsPostings() {
		Party customer = fixtures.customer("5.00");
		try {
			jdbc.sql("update wallets set balance = balance + 1 where token = :token")
				.param("token", customer.wallet())
				.update();
			JsonNode report = api.get("/api/v1/admin/ledger/verify").asAdmin().send().json();
			assertThat(report.get("mismatches").size()).isEqualTo(1);
			JsonNode mismatch = report.get("mismatches").get(0);
			assertThat(mismatch.get("wallet_token").asString()).isEqualTo(customer.wallet());
			assertThat(mismatch.get("balance").asString()).isEqualTo("5.01");
			assertThat(mismatch.get("postings_sum").asString()).isEqualTo("5.00");
		}
		finally {
			jdbc.sql("update wallets set balance = balance - 1 where token = :token")
				.param("token", customer.wallet())
				.update();
		}
	}

	@Test
	void theOpenApiDocumentDescribesChargeOutcomes() {
		JsonNode docs = api.get("/v3/api-docs").send().json();
		JsonNode charge = docs.get("paths").get("/api/v1/charges").get("post");
		assertThat(charge.get("responses").has("201")).isTrue();
		assertThat(charge.get("responses").has("402")).isTrue();
		assertThat(charge.get("responses").get("409").get("description").asString()).contains("duplicate_invoice");
		assertThat(docs.get("paths").has("/api/v1/wallets/{token}/operations")).isTrue();
		assertThat(docs.get("paths").has("/api/v1/admin/ledger/verify")).isTrue();
	}
}
