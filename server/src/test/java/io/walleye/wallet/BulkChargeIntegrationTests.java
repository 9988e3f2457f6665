package io.walleye.wallet;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

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

/** {@code POST /api/v1/charges/batch}: many charges in one request, each decided as a single charge would be. */
@WalleyeIntegrationTest
class BulkChargeIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	BulkCharges bulk;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	WalletFixtures fixtures;

	@BeforeEach
	void setUp() {
		fixtures = new WalletFixtures(api);
	}

	private static Map<String, Object> item(String wallet, String amount, String invoice) {
		Map<String, Object> item = new HashMap<>();
		item.put("wallet_token", wallet);
		item.put("amount", amount);
		item.put("invoice", invoice);
		return item;
	}

	private Response batch(Party business, List<?> items) {
		return api.post("/api/v1/charges/batch", Map.of("items", items)).bearer(business.key()).send();
	}

	private JsonNode history(Party party, String query) {
		return api.get("/api/v1/wallets/" + party.wallet() + "/operations?" + query).bearer(party.key()).send().json()
			.get("items");
	}

	private static List<String> invoices(JsonNode items) {
		List<String> invoices = new ArrayList<>();
		items.forEach(item -> invoices.add(item.get("invoice").asString()));
		return invoices;
	}

	@Test
	void eachItemIsDecidedAsASingleChargeAndAnsweredInOrder() {
		Party customer = fixtures.customer("10.00");
		Party poor = fixtures.customer("1.00");
		Party shop = fixtures.business();
		String earlier = fixtures.charge(shop, customer.wallet(), "1.00", "OLD").json().get("id").asString();
		Response held = api.post("/api/v1/holds",
				Map.of("wallet_token", customer.wallet(), "amount", "1.00", "invoice", "HELD"))
			.bearer(shop.key())
			.send();
		assertThat(held.status()).as(held.toString()).isEqualTo(201);
		List<Object> items = new ArrayList<>();
		items.add(item(customer.wallet(), "3.00", "B-1"));
		items.add(item(poor.wallet(), "5.00", "B-2"));
		items.add(item(customer.wallet(), "1.00", "B-1"));
		items.add(item(customer.wallet(), "1.00", "OLD"));
		items.add(item(customer.wallet(), "abc", "B-4"));
		items.add(item("w_" + UUID.randomUUID(), "1.00", "B-5"));
		items.add(item(customer.wallet(), "1.00", "HELD"));
		items.add(Map.of());
		items.add(item(customer.wallet(), "2.00", "B-8"));

		Response response = batch(shop, items);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode out = response.json().get("items");
		assertThat(out.size()).isEqualTo(9);
		List<Integer> statuses = new ArrayList<>();
		out.forEach(item -> statuses.add(item.get("status").asInt()));
		assertThat(statuses).containsExactly(201, 402, 409, 409, 400, 404, 409, 400, 201);
		assertThat(out.get(0).get("operation").get("invoice").asString()).isEqualTo("B-1");
		assertThat(out.get(0).get("operation").get("balance_after").asString()).isEqualTo("4.00");
		assertThat(out.get(1).get("code").asString()).isEqualTo("insufficient_funds");
		assertThat(out.get(1).get("operation").get("status").asString()).isEqualTo("rejected");
		String rejected = out.get(1).get("operation_id").asString();
		assertThat(out.get(2).get("code").asString()).isEqualTo("duplicate_invoice");
		assertThat(out.get(2).get("operation_id").asString())
			.as("a duplicate of an earlier item of the same batch")
			.isEqualTo(out.get(0).get("operation").get("id").asString());
		assertThat(out.get(3).get("operation_id").asString()).isEqualTo(earlier);
		assertThat(out.get(4).get("code").asString()).isEqualTo("validation_failed");
		assertThat(out.get(4).get("errors").get(0).get("field").asString()).isEqualTo("amount");
		assertThat(out.get(5).get("code").asString()).isEqualTo("wallet_not_found");
		assertThat(out.get(6).get("operation_id").asString()).isEqualTo(held.json().get("id").asString());
		assertThat(out.get(7).get("errors").size()).isEqualTo(3);
		assertThat(out.get(8).get("operation").get("balance_after").asString()).isEqualTo("6.00");

		assertThat(fixtures.balance(customer)).isEqualTo("4.00");
		assertThat(fixtures.balance(poor)).isEqualTo("1.00");
		assertThat(fixtures.balance(shop)).isEqualTo("6.00");
		assertThat(invoices(history(customer, "type=charge&status=accepted"))).containsExactlyInAnyOrder("OLD", "B-1",
				"B-8");
		assertThat(invoices(history(shop, "type=charge&status=accepted"))).containsExactlyInAnyOrder("OLD", "B-1",
				"B-8");
		JsonNode poorRejected = history(poor, "type=charge&status=rejected");
		assertThat(poorRejected.size()).isEqualTo(1);
		assertThat(poorRejected.get(0).get("id").asString()).isEqualTo(rejected);
		assertThat(history(shop, "type=charge&status=rejected").get(0).get("id").asString()).isEqualTo(rejected);
	}

	@Test
	void anIdempotencyKeyReplaysTheWholeAnswer() {
		Party customer = fixtures.customer("5.00");
		Party shop = fixtures.business();
		List<Object> items = List.of(item(customer.wallet(), "2.00", "K-1"), item(customer.wallet(), "9.00", "K-2"));
		String key = UUID.randomUUID().toString();

		Response first = api.post("/api/v1/charges/batch", Map.of("items", items))
			.bearer(shop.key())
			.header("Idempotency-Key", key)
			.send();
		Response again = api.post("/api/v1/charges/batch", Map.of("items", items))
			.bearer(shop.key())
			.header("Idempotency-Key", key)
			.send();
		Response other = api.post("/api/v1/charges/batch", Map.of("items", List.of(item(customer.wallet(), "1.00", "K-3"))))
			.bearer(shop.key())
			.header("Idempotency-Key", key)
			.send();

		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.header("Idempotent-Replayed")).contains("true");
		assertThat(again.json()).isEqualTo(first.json());
		assertThat(other.status()).isEqualTo(422);
		assertThat(other.json().get("code").asString()).isEqualTo("idempotency_key_reused");
		assertThat(fixtures.balance(customer)).isEqualTo("3.00");
		assertThat(history(customer, "type=charge").size()).as("one accepted, one rejected, once").isEqualTo(2);
	}

	@Test
	void aBatchHoldsOneToAThousandCharges() {
		Party customer = fixtures.customer("1.00");
		Party shop = fixtures.business();
		Response empty = batch(shop, List.of());
		assertThat(empty.status()).isEqualTo(400);
		assertThat(empty.json().get("errors").get(0).get("field").asString()).isEqualTo("items");
		Response missing = api.post("/api/v1/charges/batch", Map.of()).bearer(shop.key()).send();
		assertThat(missing.status()).isEqualTo(400);
		List<Object> tooMany = new ArrayList<>();
		for (int i = 0; i < 1001; i++) {
			tooMany.add(item(customer.wallet(), "0.01", "T-" + i));
		}
		Response refused = batch(shop, tooMany);
		assertThat(refused.status()).isEqualTo(413);
		assertThat(refused.json().get("code").asString()).isEqualTo("too_many_items");
		Response byCustomer = api.post("/api/v1/charges/batch", Map.of("items", List.of(item(customer.wallet(), "0.01",
				"T-C")))).bearer(customer.key()).send();
		assertThat(byCustomer.status()).isEqualTo(403);
		assertThat(fixtures.balance(customer)).as("nothing charged").isEqualTo("1.00");
	}

	@Test
	void aThousandChargesToOneHotWalletAreDecidedInOrderAndNeverOverdraw() {
		Party customer = fixtures.customer("500.00");
		Party shop = fixtures.business();
		List<Object> items = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			items.add(item(customer.wallet(), "1.00", "H-" + i));
		}

		Response response = batch(shop, items);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode out = response.json().get("items");
		for (int i = 0; i < 1000; i++) {
			assertThat(out.get(i).get("status").asInt()).as("item " + i).isEqualTo(i < 500 ? 201 : 402);
		}
		assertThat(out.get(499).get("operation").get("balance_after").asString()).isEqualTo("500.00");
		assertThat(fixtures.balance(customer)).isEqualTo("0.00");
		assertThat(fixtures.balance(shop)).isEqualTo("500.00");
	}

	@Test
	void concurrentBatchesAndSingleChargesNeverOverdrawAndTheLedgerVerifies() throws Exception {
		List<Party> customers = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			customers.add(fixtures.customer("5.00"));
		}
		List<Party> shops = List.of(fixtures.business(), fixtures.business());
		List<Callable<Integer>> work = new ArrayList<>();
		for (int b = 0; b < 4; b++) {
			Party shop = shops.get(b % 2);
			int batchNo = b;
			work.add(() -> {
				List<Object> items = new ArrayList<>();
				for (int i = 0; i < 25; i++) {
					items.add(item(customers.get(i % 5).wallet(), "0.50", "C-" + batchNo + "-" + i));
				}
				Response response = batch(shop, items);
				assertThat(response.status()).as(response.toString()).isEqualTo(200);
				int accepted = 0;
				for (JsonNode item : response.json().get("items")) {
					assertThat(item.get("status").asInt()).isIn(201, 402);
					accepted += item.get("status").asInt() == 201 ? 1 : 0;
				}
				return accepted;
			});
		}
		for (int s = 0; s < 4; s++) {
			Party shop = shops.get(s % 2);
			int thread = s;
			work.add(() -> {
				int accepted = 0;
				for (int i = 0; i < 5; i++) {
					Response response = fixtures.charge(shop, customers.get(i).wallet(), "0.50", "S-" + thread + "-" + i);
					assertThat(response.status()).isIn(201, 402);
					accepted += response.status() == 201 ? 1 : 0;
				}
				return accepted;
			});
		}
		ExecutorService pool = Executors.newFixedThreadPool(work.size());
		int accepted = 0;
		try {
			for (Future<Integer> done : pool.invokeAll(work, 60, TimeUnit.SECONDS)) {
				accepted += done.get();
			}
		}
		finally {
			pool.shutdownNow();
		}

		assertThat(accepted).as("120 attempts at 0.50 on 25.00").isEqualTo(50);
		customers.forEach(customer -> assertThat(fixtures.balance(customer)).isEqualTo("0.00"));
		assertThat(new BigDecimal(fixtures.balance(shops.get(0))).add(new BigDecimal(fixtures.balance(shops.get(1)))))
			.isEqualByComparingTo("25.00");
		Response verify = api.get("/api/v1/admin/ledger/verify").asAdmin().send();
		assertThat(verify.json().get("mismatches").size()).isZero();
		assertThat(verify.json().get("postings_sum_by_currency").get("EUR").asString()).isEqualTo("0.00");
	}

	@Test
	void batchesPastTheirTurnsWaitOutsideAnyTransactionNotOnRowLocks() throws Exception {
		Party customer = fixtures.customer("10.00");
		Party shop = fixtures.business();
		ExecutorService pool = Executors.newFixedThreadPool(BulkCharges.CONCURRENT_BATCHES + 1);
		try (Connection holder = dataSource.getConnection()) {
			holder.setAutoCommit(false);
			try (PreparedStatement lock = holder.prepareStatement("select id from wallets where token = ? for update")) {
				lock.setString(1, shop.wallet());
				lock.executeQuery().close();
			}
			List<Future<Response>> batches = new ArrayList<>();
			for (int b = 0; b <= BulkCharges.CONCURRENT_BATCHES; b++) {
				List<Object> items = List.of(item(customer.wallet(), "1.00", "TURN-" + b));
				batches.add(pool.submit(() -> batch(shop, items)));
			}
			// Two batches wait on the shop wallet's lock in PostgreSQL; the third waits for a turn in the server.
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (lockWaiters() < BulkCharges.CONCURRENT_BATCHES || bulk.waitingForTurn() < 1) {
				assertThat(System.nanoTime()).as("two batches on the lock, one waiting its turn").isLessThan(deadline);
				Thread.sleep(20);
			}
			assertThat(lockWaiters()).isEqualTo(BulkCharges.CONCURRENT_BATCHES);
			holder.rollback();
			for (Future<Response> done : batches) {
				Response response = done.get(30, TimeUnit.SECONDS);
				assertThat(response.status()).as(response.toString()).isEqualTo(200);
				assertThat(response.json().get("items").get(0).get("status").asInt()).isEqualTo(201);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(fixtures.balance(customer)).isEqualTo("7.00");
	}

	private int lockWaiters() {
		return jdbc.sql("""
				select count(*) from pg_stat_activity
				 where wait_event_type = 'Lock' and query like '%for update of w%' and query like '%any (%'
				""").query(Integer.class).single();
	}
}

