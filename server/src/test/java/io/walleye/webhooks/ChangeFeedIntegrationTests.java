package io.walleye.webhooks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;
import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;
import io.walleye.webhooks.WebhookFixtures.Party;
import io.walleye.wallet.Movements;
import io.walleye.wallet.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The change feed: the outbox is atomic with the change, every event of many concurrent charges arrives exactly once
 * in commit order per wallet, callers see their own events only, and {@code wait} long-polls.
 */
@WalleyeIntegrationTest
class ChangeFeedIntegrationTests {

	static final int CHARGES = 1000;

	@Autowired
	TestApi api;

	@Autowired
	Movements movements;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	EventRetention retention;

	@Autowired
	JdbcClient jdbc;

	Party party(String kind) {
		return WebhookFixtures.party(api, kind);
	}

	void deposit(Party party, String amount) {
		WebhookFixtures.deposit(api, party, amount);
	}

	/** Every event of the caller's feed after the cursor, paging to the end, and the cursor to read on from. */
	record Read(List<JsonNode> events, String cursor) {
	}

	Read readAll(String key, String after) {
		List<JsonNode> events = new ArrayList<>();
		String cursor = after;
		while (true) {
			String query = "/api/v1/changes?limit=500" + (cursor == null ? "" : "&after=" + cursor);
			Response page = api.get(query).bearer(key).send();
			assertThat(page.status()).as(page.body()).isEqualTo(200);
			JsonNode items = page.json().get("items");
			items.forEach(events::add);
			cursor = page.json().get("next_cursor").asString();
			if (items.size() < 500) {
				return new Read(events, cursor);
			}
		}
	}

	int events(Party party) {
		return jdbc.sql("select count(*) from webhook_events where owner_id = :owner").param("owner", party.id())
			.query(Integer.class)
			.single();
	}

	@Test
	void eventsPastTheRetentionExpireAndACursorFromBeforeThemIsToldSo() {
		Party ada = party("customers");
		deposit(ada, "1.00");
		String early = api.get("/api/v1/changes?limit=1").bearer(ada.key()).send().json().get("next_cursor").asString();
		deposit(ada, "2.00");
		deposit(ada, "3.00");
		// Bob's deposit has a delivery still pending (the host does not resolve; it is retried for days).
		Party bob = party("customers");
		assertThat(api.post("/api/v1/webhook-endpoints", Map.of("url", "https://hooks.example.test/bob", "event_types",
				List.of())).bearer(bob.key()).send().status()).isEqualTo(201);
		deposit(bob, "4.00");
		Party idle = party("customers");
		String idleCursor = readAll(idle.key(), null).cursor();
		// The feed expires from its front, so everything up to Bob's deposit is made old (earlier tests' events too).
		jdbc.sql("""
				update webhook_events set created_at = created_at - interval '40 days'
				 where position <= (select max(position) from webhook_events where owner_id = :bob)
				""").param("bob", bob.id()).update();

		assertThat(retention.purge()).isGreaterThanOrEqualTo(3);

		assertThat(events(ada)).isZero();
		assertThat(events(bob)).as("kept for its pending delivery").isEqualTo(1);
		Response expired = api.get("/api/v1/changes?after=" + early).bearer(ada.key()).send();
		assertThat(expired.status()).isEqualTo(410);
		assertThat(expired.contentType()).startsWith("application/problem+json");
		assertThat(expired.json().get("code").asString()).isEqualTo("cursor_expired");
		// An idle consumer's cursor moved on with the head when it read: nothing of its own expired, no 410.
		assertThat(api.get("/api/v1/changes?after=" + idleCursor).bearer(idle.key()).send().status()).isEqualTo(200);
		// Bob's kept event left the feed, and reading without a cursor starts at the oldest event kept.
		deposit(ada, "5.00");
		Read fresh = readAll(ada.key(), null);
		assertThat(fresh.events()).hasSize(1);
		assertThat(fresh.events().getFirst().get("data").toString()).contains("5.00");
		assertThat(readAll(bob.key(), null).events()).isEmpty();
		deposit(ada, "6.00");
		assertThat(readAll(ada.key(), fresh.cursor()).events()).hasSize(1);
	}

	@Test
	void aRolledBackChargeLeavesNoEvent() {
		Party ada = party("customers");
		Party shop = party("businesses");
		deposit(ada, "50.00");
		Read before = readAll(ada.key(), null);
		Principal business = new Principal(PrincipalType.BUSINESS, shop.id(), UUID.randomUUID(), null);
		UUID operation = new TransactionTemplate(transactionManager).execute(tx -> {
			Outcome outcome = movements.charge(business, ada.wallet(), new BigDecimal("20.00"), "RB-1", null);
			tx.setRollbackOnly();
			return ((Outcome.Accepted) outcome).operation().id();
		});
		Outcome kept = new TransactionTemplate(transactionManager)
			.execute(tx -> movements.charge(business, ada.wallet(), new BigDecimal("7.00"), "RB-2", null));
		Read after = readAll(ada.key(), before.cursor());
		assertThat(after.events()).hasSize(1);
		JsonNode event = after.events().getFirst();
		assertThat(event.get("type").asString()).isEqualTo("operation.accepted");
		assertThat(event.get("data").get("id").asString()).isEqualTo(((Outcome.Accepted) kept).operation().id().toString())
			.isNotEqualTo(operation.toString());
		assertThat(event.get("data").get("balance_after").asString()).isEqualTo("43.00");
	}

	@Test
	void eventsOfConcurrentChargesArriveExactlyOnceInCommitOrderPerWallet() throws Exception {
		List<Party> customers = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Party customer = party("customers");
			deposit(customer, "100000.00");
			customers.add(customer);
		}
		List<Party> businesses = List.of(party("businesses"), party("businesses"));
		String start = readAll(api.adminToken(), null).cursor();
		Map<String, Integer> accepted = new ConcurrentHashMap<>();
		ExecutorService threads = Executors.newFixedThreadPool(16);
		List<Future<?>> done = new ArrayList<>();
		for (int i = 0; i < CHARGES; i++) {
			int n = i;
			done.add(threads.submit(() -> {
				Party customer = customers.get(ThreadLocalRandom.current().nextInt(customers.size()));
				Party business = businesses.get(n % businesses.size());
				Response charged = api
					.post("/api/v1/charges", Map.of("wallet_token", customer.wallet(), "amount", "1.00", "invoice", "FEED-" + n))
					.bearer(business.key())
					.send();
				assertThat(charged.status()).as(charged.body()).isEqualTo(201);
				accepted.merge(charged.json().get("id").asString(), 1, Integer::sum);
			}));
		}
		for (Future<?> future : done) {
			future.get();
		}
		threads.shutdown();
		assertThat(accepted).hasSize(CHARGES);

		// The operator's feed: each charge twice (the customer's and the business's item), no event twice.
		Map<String, Integer> seen = new HashMap<>();
		Set<String> eventIds = new HashSet<>();
		for (JsonNode event : readAll(api.adminToken(), start).events()) {
			assertThat(eventIds.add(event.get("id").asString())).isTrue();
			String operation = event.get("data").get("id").asString();
			if (accepted.containsKey(operation)) {
				seen.merge(operation, 1, Integer::sum);
			}
		}
		assertThat(seen).hasSize(CHARGES).allSatisfy((operation, count) -> assertThat(count).isEqualTo(2));

		// Each wallet's feed in commit order: the balance after each charge moves by exactly its amount.
		int total = 0;
		for (Party customer : customers) {
			List<JsonNode> charges = readAll(customer.key(), start).events();
			total += charges.size();
			assertBalancesStep(charges, new BigDecimal("-1.00"));
		}
		assertThat(total).isEqualTo(CHARGES);
		for (Party business : businesses) {
			List<JsonNode> charges = readAll(business.key(), start).events();
			assertThat(charges).hasSize(CHARGES / businesses.size());
			assertBalancesStep(charges, new BigDecimal("1.00"));
		}
	}

	private static void assertBalancesStep(List<JsonNode> events, BigDecimal step) {
		for (int i = 1; i < events.size(); i++) {
			BigDecimal previous = new BigDecimal(events.get(i - 1).get("data").get("balance_after").asString());
			BigDecimal current = new BigDecimal(events.get(i).get("data").get("balance_after").asString());
			assertThat(current.subtract(previous)).as("event %d of %s", i, events.get(i)).isEqualByComparingTo(step);
		}
	}

	@Test
	void aHoldsLifeReachesTheBusinessAndTheCustomerButNoOneElse() {
		Party ada = party("customers");
		Party bob = party("customers");
		Party shop = party("businesses");
		deposit(ada, "30.00");
		String adaCursor = readAll(ada.key(), null).cursor();
		String bobCursor = readAll(bob.key(), null).cursor();
		String shopCursor = readAll(shop.key(), null).cursor();
		Response hold = api.post("/api/v1/holds", Map.of("wallet_token", ada.wallet(), "amount", "10.00", "invoice",
				"FEED-HOLD-1")).bearer(shop.key()).send();
		assertThat(hold.status()).as(hold.body()).isEqualTo(201);
		String id = hold.json().get("id").asString();
		assertThat(api.post("/api/v1/holds/" + id + "/captures", Map.of("amount", "4.00")).bearer(shop.key()).send()
			.status()).isEqualTo(201);
		assertThat(api.post("/api/v1/holds/" + id + "/void").bearer(shop.key()).send().status()).isEqualTo(200);
		for (Party party : List.of(ada, shop)) {
			List<String> holdEvents = readAll(party.key(), party == ada ? adaCursor : shopCursor).events()
				.stream()
				.filter(event -> event.get("type").asString().startsWith("hold."))
				.map(event -> event.get("type").asString() + " " + event.get("data").get("status").asString() + " "
						+ event.get("data").get("captured_amount").asString())
				.toList();
			assertThat(holdEvents).containsExactly("hold.created pending 0.00", "hold.captured pending 4.00",
					"hold.voided voided 4.00");
		}
		assertThat(readAll(bob.key(), bobCursor).events()).isEmpty();
	}

	@Test
	void callersSeeTheirOwnChangesAndAWaitingReaderGetsTheNextOne() throws Exception {
		Party ada = party("customers");
		Party bob = party("customers");
		Party shop = party("businesses");
		deposit(ada, "30.00");
		String adaCursor = readAll(ada.key(), null).cursor();
		String bobCursor = readAll(bob.key(), null).cursor();
		String shopCursor = readAll(shop.key(), null).cursor();
		assertThat(api.post("/api/v1/charges", Map.of("wallet_token", ada.wallet(), "amount", "99.00", "invoice", "SCOPE-1"))
			.bearer(shop.key())
			.send()
			.status()).isEqualTo(402);
		List<JsonNode> adas = readAll(ada.key(), adaCursor).events();
		assertThat(adas).singleElement().satisfies(event -> {
			assertThat(event.get("type").asString()).isEqualTo("operation.rejected");
			assertThat(event.get("data").get("direction").asString()).isEqualTo("debit");
		});
		assertThat(readAll(shop.key(), shopCursor).events()).singleElement()
			.satisfies(event -> assertThat(event.get("data").get("wallet_token").asString()).isEqualTo(shop.wallet()));
		assertThat(readAll(bob.key(), bobCursor).events()).isEmpty();
		Response filtered = api.get("/api/v1/changes?types=refund.created&after=" + adaCursor).bearer(ada.key()).send();
		assertThat(filtered.json().get("items")).isEmpty();
		// The page read everything of Ada's up to the head: its cursor moves on (and loses nothing, see below).
		assertThat(api.get("/api/v1/changes?after=" + filtered.json().get("next_cursor").asString())
			.bearer(ada.key())
			.send()
			.json()
			.get("items")).isEmpty();

		String now = readAll(ada.key(), adaCursor).cursor();
		Thread depositor = Thread.ofVirtual().start(() -> {
			try {
				Thread.sleep(300);
			}
			catch (InterruptedException ex) {
				return;
			}
			deposit(ada, "1.00");
		});
		Response waited = api.get("/api/v1/changes?wait=20&after=" + now).bearer(ada.key()).send();
		depositor.join();
		assertThat(waited.status()).isEqualTo(200);
		assertThat(waited.json().get("items")).singleElement()
			.satisfies(event -> assertThat(event.get("data").get("amount").asString()).isEqualTo("1.00"));
		assertThat(api.get("/api/v1/changes?wait=31").bearer(ada.key()).send().status()).isEqualTo(400);
	}
}
