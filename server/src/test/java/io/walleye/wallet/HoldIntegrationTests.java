package io.walleye.wallet;

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

/** Holds over HTTP against the real PostgreSQL: the lifecycle, balances, histories and every refusal. */
@WalleyeIntegrationTest
class HoldIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Holds holds;

	@Autowired
	Ledger ledger;

	WalletFixtures fixtures;

	@BeforeEach
	void setUp() {
		fixtures = new WalletFixtures(api);
	}

	@Test
	void aHoldReservesFundsAndIsCapturedInPartsUntilAFinalCaptureReleasesTheRest() {
		Party customer = fixtures.customer("100.00");
		Party shop = fixtures.business();
		Response created = hold(shop, customer, "30.00", "H-1", null);
		assertThat(created.status()).isEqualTo(201);
		JsonNode hold = created.json();
		String id = hold.get("id").asString();
		assertThat(hold.get("status").asString()).isEqualTo("pending");
		assertThat(hold.get("amount").asString()).isEqualTo("30.00");
		assertThat(hold.get("captured_amount").asString()).isEqualTo("0.00");
		assertThat(hold.get("remaining").asString()).isEqualTo("30.00");
		assertThat(hold.get("wallet_token").asString()).isEqualTo(customer.wallet());
		assertThat(hold.get("captures").size()).isZero();
		assertWallet(customer, "100.00", "30.00", "70.00");

		Response first = capture(shop, id, Map.of("amount", "10.00"));
		assertThat(first.status()).isEqualTo(201);
		assertThat(first.json().get("type").asString()).isEqualTo("capture");
		assertThat(first.json().get("hold_id").asString()).isEqualTo(id);
		assertThat(first.json().get("refunded_amount").asString()).isEqualTo("0.00");
		assertWallet(customer, "90.00", "20.00", "70.00");
		assertThat(fixtures.balance(shop)).isEqualTo("10.00");

		Response last = capture(shop, id, Map.of("amount", "5.00", "final", true));
		assertThat(last.status()).isEqualTo(201);
		assertWallet(customer, "85.00", "0.00", "85.00");
		JsonNode closed = api.get("/api/v1/holds/" + id).bearer(shop.key()).send().json();
		assertThat(closed.get("status").asString()).isEqualTo("captured");
		assertThat(closed.get("captured_amount").asString()).isEqualTo("15.00");
		assertThat(closed.get("remaining").asString()).isEqualTo("0.00");
		assertThat(closed.get("captures").size()).isEqualTo(2);

		assertProblem(capture(shop, id, Map.of()), 409, "hold_captured");
		assertProblem(api.post("/api/v1/holds/" + id + "/void").bearer(shop.key()).send(), 409, "hold_captured");

		// A capture is a charge: it can be refunded.
		Response refund = api.post("/api/v1/charges/" + first.json().get("id").asString() + "/refunds")
			.bearer(shop.key())
			.send();
		assertThat(refund.status()).isEqualTo(201);
		assertWallet(customer, "95.00", "0.00", "95.00");

		JsonNode history = api.get("/api/v1/wallets/" + customer.wallet() + "/operations?type=hold,capture,hold_void")
			.bearer(customer.key())
			.send()
			.json()
			.get("items");
		assertThat(history).extracting(item -> item.get("type").asString())
			.containsExactly("hold_void", "capture", "capture", "hold");
		assertThat(history).allMatch(item -> item.get("hold_id").asString().equals(id));
		assertThat(history.get(0).get("held_after").asString()).isEqualTo("0.00");
		assertThat(history.get(3).get("held_after").asString()).isEqualTo("30.00");
		assertThat(api.get("/api/v1/wallets/" + shop.wallet() + "/operations?type=hold,capture,hold_void")
			.bearer(shop.key())
			.send()
			.json()
			.get("items")
			.size()).isEqualTo(4);
		String csv = api.get("/api/v1/wallets/" + customer.wallet() + "/operations?format=csv&type=hold")
			.bearer(customer.key())
			.send()
			.body();
		assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",held_after,hold_id");
		assertThat(csv.lines().skip(1).findFirst().orElseThrow()).contains(",hold,accepted,").endsWith(",30.00," + id);
		assertThat(ledger.verify().ok()).isTrue();
	}

	@Test
	void chargesWithdrawalsAndNewHoldsAreDecidedOnAvailableFundsAndARejectedHoldIsKeptInBothHistories() {
		Party customer = fixtures.customer("50.00");
		Party shop = fixtures.business();
		String id = hold(shop, customer, "40.00", "A-1", null).json().get("id").asString();
		assertProblem(fixtures.charge(shop, customer.wallet(), "20.00", "A-2"), 402, "insufficient_funds");
		assertProblem(api.post("/api/v1/wallets/" + customer.wallet() + "/withdrawals", Map.of("amount", "20.00"))
			.bearer(customer.key())
			.send(), 402, "insufficient_funds");
		Response rejected = hold(shop, customer, "20.00", "A-3", null);
		assertProblem(rejected, 402, "insufficient_funds");
		assertThat(rejected.json().get("operation").get("type").asString()).isEqualTo("hold");
		assertThat(rejected.json().get("operation").get("status").asString()).isEqualTo("rejected");
		for (Party party : List.of(customer, shop)) {
			assertThat(api.get("/api/v1/wallets/" + party.wallet() + "/operations?type=hold&status=rejected")
				.bearer(party.key())
				.send()
				.json()
				.get("items")
				.size()).as("rejected hold in %s's history", party.wallet()).isEqualTo(1);
		}
		// The invoice of a rejected hold is not taken.
		assertThat(fixtures.charge(shop, customer.wallet(), "1.00", "A-3").status()).isEqualTo(201);

		Response voided = api.post("/api/v1/holds/" + id + "/void").bearer(shop.key()).send();
		assertThat(voided.status()).isEqualTo(200);
		assertThat(voided.json().get("status").asString()).isEqualTo("voided");
		assertThat(voided.json().get("remaining").asString()).isEqualTo("0.00");
		assertWallet(customer, "49.00", "0.00", "49.00");
		assertProblem(api.post("/api/v1/holds/" + id + "/void").bearer(shop.key()).send(), 409, "hold_voided");
		assertProblem(capture(shop, id, Map.of()), 409, "hold_voided");
		assertThat(api.post("/api/v1/wallets/" + customer.wallet() + "/withdrawals", Map.of("amount", "20.00"))
			.bearer(customer.key())
			.send()
			.status()).isEqualTo(201);
	}

	@Test
	void everyRefusalIsAProblemWithItsCode() {
		Party customer = fixtures.customer("100.00");
		Party shop = fixtures.business();
		Party other = fixtures.business();
		String id = hold(shop, customer, "10.00", "E-1", null).json().get("id").asString();

		assertProblem(capture(shop, id, Map.of("amount", "10.01")), 422, "capture_exceeds_hold");
		assertProblem(api.get("/api/v1/holds/" + UUID.randomUUID()).bearer(shop.key()).send(), 404,
				"hold_not_found");
		assertProblem(api.get("/api/v1/holds/" + id).bearer(other.key()).send(), 404, "hold_not_found");
		assertProblem(capture(other, id, Map.of()), 404, "hold_not_found");
		assertProblem(api.post("/api/v1/holds/" + id + "/void").bearer(other.key()).send(), 404, "hold_not_found");
		assertProblem(capture(shop, UUID.randomUUID().toString(), Map.of()), 404, "hold_not_found");

		// One invoice per business across charges and holds, both ways.
		Response heldTwice = hold(shop, customer, "1.00", "E-1", null);
		assertProblem(heldTwice, 409, "duplicate_invoice");
		assertThat(heldTwice.json().get("operation_id").asString()).isEqualTo(id);
		assertProblem(fixtures.charge(shop, customer.wallet(), "1.00", "E-1"), 409, "duplicate_invoice");
		assertThat(fixtures.charge(shop, customer.wallet(), "1.00", "E-2").status()).isEqualTo(201);
		assertProblem(hold(shop, customer, "1.00", "E-2", null), 409, "duplicate_invoice");
		// Another business may use the same invoice.
		assertThat(hold(other, customer, "1.00", "E-1", null).status()).isEqualTo(201);

		assertProblem(hold(shop, customer, "1.00", "E-3", "seven days"), 400, "validation_failed");
		assertProblem(hold(shop, customer, "1.00", "E-3", "P31D"), 400, "validation_failed");
		assertProblem(hold(shop, customer, "1.00", "E-3", "PT0S"), 400, "validation_failed");
		assertProblem(hold(shop, new Party(customer.key(), "wal_unknown"), "1.00", "E-3", null), 404,
				"wallet_not_found");
		assertProblem(hold(shop, new Party(other.key(), other.wallet()), "1.00", "E-3", null), 422,
				"not_a_customer_wallet");
		assertProblem(api.post("/api/v1/holds", Map.of("wallet_token", customer.wallet(), "amount", "1.00",
				"invoice", "E-4")).bearer(customer.key()).send(), 403, "forbidden");
		assertProblem(api.get("/api/v1/holds?status=open").bearer(shop.key()).send(), 400, "validation_failed");
	}

	@Test
	void anExpiredHoldIsNeverCapturedAndTheSweeperReleasesIt() {
		Party customer = fixtures.customer("20.00");
		Party shop = fixtures.business();
		String id = hold(shop, customer, "15.00", "X-1", "PT1H").json().get("id").asString();
		// The deadline passes (moved rather than waited for); the capture must see it even before any sweep.
		jdbc.sql("update holds set expires_at = now() - interval '1 second' where id = :id").param("id",
				UUID.fromString(id)).update();
		assertProblem(capture(shop, id, Map.of("amount", "1.00")), 409, "hold_expired");
		assertProblem(api.post("/api/v1/holds/" + id + "/void").bearer(shop.key()).send(), 409, "hold_expired");
		holds.expireDue(100);
		JsonNode expired = api.get("/api/v1/holds/" + id).bearer(shop.key()).send().json();
		assertThat(expired.get("status").asString()).isEqualTo("expired");
		assertWallet(customer, "20.00", "0.00", "20.00");
		JsonNode last = api.get("/api/v1/wallets/" + customer.wallet() + "/operations?type=hold_expired")
			.bearer(customer.key())
			.send()
			.json()
			.get("items");
		assertThat(last.size()).isEqualTo(1);
		assertThat(last.get(0).get("amount").asString()).isEqualTo("15.00");
		assertThat(last.get(0).get("direction").asString()).isEqualTo("credit");
		assertProblem(capture(shop, id, Map.of()), 409, "hold_expired");
		assertThat(ledger.verify().ok()).isTrue();
	}

	@Test
	void theSameIdempotencyKeyReplaysTheFirstAnswerOfEveryHoldPost() {
		Party customer = fixtures.customer("100.00");
		Party shop = fixtures.business();
		Map<String, Object> body = Map.of("wallet_token", customer.wallet(), "amount", "10.00", "invoice", "I-1");
		Response created = api.post("/api/v1/holds", body).bearer(shop.key()).header("Idempotency-Key", "h-1").send();
		Response again = api.post("/api/v1/holds", body).bearer(shop.key()).header("Idempotency-Key", "h-1").send();
		assertThat(again.status()).isEqualTo(201);
		assertThat(again.header("Idempotent-Replayed")).contains("true");
		assertThat(again.body()).isEqualTo(created.body());
		String id = created.json().get("id").asString();

		Map<String, Object> all = Map.of("final", true);
		Response captured = api.post("/api/v1/holds/" + id + "/captures", all)
			.bearer(shop.key())
			.header("Idempotency-Key", "c-1")
			.send();
		Response replayed = api.post("/api/v1/holds/" + id + "/captures", all)
			.bearer(shop.key())
			.header("Idempotency-Key", "c-1")
			.send();
		assertThat(captured.status()).isEqualTo(201);
		assertThat(replayed.status()).isEqualTo(201);
		assertThat(replayed.body()).isEqualTo(captured.body());
		assertProblem(api.post("/api/v1/holds/" + id + "/captures", all)
			.bearer(shop.key())
			.header("Idempotency-Key", "c-2")
			.send(), 409, "hold_captured");
		assertWallet(customer, "90.00", "0.00", "90.00");

		String second = hold(shop, customer, "5.00", "I-2", null).json().get("id").asString();
		Response voided = api.post("/api/v1/holds/" + second + "/void")
			.bearer(shop.key())
			.header("Idempotency-Key", "v-1")
			.send();
		Response voidReplayed = api.post("/api/v1/holds/" + second + "/void")
			.bearer(shop.key())
			.header("Idempotency-Key", "v-1")
			.send();
		assertThat(voided.status()).isEqualTo(200);
		assertThat(voidReplayed.status()).isEqualTo(200);
		assertThat(voidReplayed.header("Idempotent-Replayed")).contains("true");
		assertThat(voidReplayed.body()).isEqualTo(voided.body());
	}

	@Test
	void holdsAreListedByStatusAndWalletAPageAtATime() {
		Party first = fixtures.customer("100.00");
		Party second = fixtures.customer("100.00");
		Party shop = fixtures.business();
		for (int i = 0; i < 3; i++) {
			hold(shop, first, "1.00", "L-a" + i, null);
		}
		String voided = hold(shop, second, "1.00", "L-b", null).json().get("id").asString();
		api.post("/api/v1/holds/" + voided + "/void").bearer(shop.key()).send();

		JsonNode page = api.get("/api/v1/holds?limit=2").bearer(shop.key()).send().json();
		assertThat(page.get("items").size()).isEqualTo(2);
		assertThat(page.get("items").get(0).get("id").asString()).isEqualTo(voided);
		JsonNode rest = api.get("/api/v1/holds?limit=2&cursor=" + page.get("next_cursor").asString())
			.bearer(shop.key())
			.send()
			.json();
		assertThat(rest.get("items").size()).isEqualTo(2);
		assertThat(rest.get("next_cursor").isNull()).isTrue();
		assertThat(api.get("/api/v1/holds?status=voided").bearer(shop.key()).send().json().get("items"))
			.extracting(item -> item.get("id").asString())
			.containsExactly(voided);
		assertThat(api.get("/api/v1/holds?status=pending&wallet_token=" + first.wallet())
			.bearer(shop.key())
			.send()
			.json()
			.get("items")
			.size()).isEqualTo(3);
		assertThat(api.get("/api/v1/holds?wallet_token=wal_nobody").bearer(shop.key()).send().json().get("items")
			.size()).isZero();
	}

	@Test
	void balanceAtAnInstantAndStatementsShowHeldAndAvailable() {
		Party customer = fixtures.customer("100.00");
		Party shop = fixtures.business();
		JsonNode hold = hold(shop, customer, "25.00", "B-1", null).json();
		JsonNode at = api.get("/api/v1/wallets/" + customer.wallet() + "/balance?at=" + hold.get("created_at").asString())
			.bearer(customer.key())
			.send()
			.json();
		assertThat(at.get("balance").asString()).isEqualTo("100.00");
		assertThat(at.get("held").asString()).isEqualTo("25.00");
		assertThat(at.get("available").asString()).isEqualTo("75.00");
		capture(shop, hold.get("id").asString(), Map.of("amount", "5.00"));
		JsonNode statement = api.get("/api/v1/wallets/" + customer.wallet() + "/statement")
			.bearer(customer.key())
			.send()
			.json();
		assertThat(statement.get("closing_balance").asString()).isEqualTo("95.00");
		assertThat(statement.get("closing_held").asString()).isEqualTo("20.00");
		assertThat(statement.get("closing_available").asString()).isEqualTo("75.00");
		assertThat(statement.get("opening_available").asString()).isEqualTo("0.00");
	}

	private Response hold(Party shop, Party customer, String amount, String invoice, String expiresIn) {
		Map<String, Object> body = new HashMap<>(
				Map.of("wallet_token", customer.wallet(), "amount", amount, "invoice", invoice));
		if (expiresIn != null) {
			body.put("expires_in", expiresIn);
		}
		return api.post("/api/v1/holds", body).bearer(shop.key()).send();
	}

	private Response capture(Party shop, String id, Map<String, Object> body) {
		return api.post("/api/v1/holds/" + id + "/captures", body).bearer(shop.key()).send();
	}

	private void assertWallet(Party party, String balance, String held, String available) {
		JsonNode wallet = api.get("/api/v1/wallets/" + party.wallet()).bearer(party.key()).send().json();
		assertThat(List.of(wallet.get("balance").asString(), wallet.get("held").asString(),
				wallet.get("available").asString()))
			.as("balance, held, available")
			.containsExactly(balance, held, available);
	}

	static void assertProblem(Response response, int status, String code) {
		assertThat(response.status()).as("status of %s", response).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo(code);
	}
}
