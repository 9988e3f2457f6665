package io.walleye.wallet;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;
import io.walleye.wallet.WalletFixtures.Party;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds under real concurrency: threads mixing holds, partial and final captures, voids, charges, withdrawals and
 * deposits on the same few wallets over HTTP, while a sweeper expires the holds whose one- or two-second deadline
 * passes during the run.
 */
@WalleyeIntegrationTest
class HoldConcurrencyIntegrationTests {

	static final int CALLS = 240;

	static final Duration RUN = Duration.ofSeconds(4);

	@Autowired
	TestApi api;

	@Autowired
	Holds holds;

	@Autowired
	Ledger ledger;

	@Autowired
	JdbcClient jdbc;

	@Test
	void mixedHoldsCapturesVoidsChargesAndExpiriesKeepEveryInvariant() throws Exception {
		WalletFixtures fixtures = new WalletFixtures(api);
		List<Party> customers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			customers.add(fixtures.customer("150.00"));
		}
		List<Party> shops = List.of(fixtures.business(), fixtures.business());
		List<String[]> created = Collections.synchronizedList(new ArrayList<>());
		String run = UUID.randomUUID().toString().substring(0, 8);

		AtomicBoolean sweeping = new AtomicBoolean(true);
		AtomicInteger expiredBySweeper = new AtomicInteger();
		Thread sweeper = Thread.ofPlatform().start(() -> {
			while (sweeping.get()) {
				expiredBySweeper.addAndGet(holds.expireDue(20));
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		});
		List<Response> responses = new ArrayList<>();
		IntFunction<Response> call = i -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			Party customer = customers.get(random.nextInt(customers.size()));
			Party shop = shops.get(random.nextInt(shops.size()));
			String amount = BigDecimal.valueOf(random.nextInt(1, 2500), 2).toPlainString();
			int kind = created.isEmpty() ? 0 : random.nextInt(8);
			return switch (kind) {
				case 0, 1, 2 -> {
					// Short deadlines pass while the run goes on; the rest stay pending.
					String life = random.nextInt(3) == 0 ? "PT1H" : "PT" + random.nextInt(1, 3) + "S";
					Response response = api.post("/api/v1/holds", Map.of("wallet_token", customer.wallet(),
							"amount", amount, "invoice", run + "-" + i, "expires_in", life)).bearer(shop.key()).send();
					if (response.status() == 201) {
						created.add(new String[] { response.json().get("id").asString(), shop.key() });
					}
					yield response;
				}
				case 3, 4 -> {
					String[] hold = created.get(random.nextInt(created.size()));
					Map<String, Object> body = random.nextBoolean() ? Map.of("amount", "0.50")
							: Map.of("amount", "0.30", "final", random.nextInt(4) == 0);
					yield api.post("/api/v1/holds/" + hold[0] + "/captures", body).bearer(hold[1]).send();
				}
				case 5 -> {
					String[] hold = created.get(random.nextInt(created.size()));
					yield api.post("/api/v1/holds/" + hold[0] + "/void").bearer(hold[1]).send();
				}
				case 6 -> fixtures.charge(shop, customer.wallet(), amount, run + "-c" + i);
				default -> random.nextBoolean()
						? api.post("/api/v1/wallets/" + customer.wallet() + "/withdrawals", Map.of("amount", amount))
							.bearer(customer.key())
							.send()
						: api.post("/api/v1/wallets/" + customer.wallet() + "/deposits", Map.of("amount", amount))
							.bearer(customer.key())
							.send();
			};
		};
		try {
			// Rounds of concurrent calls for at least RUN, so that the one- and two-second deadlines pass while
			// captures and voids still arrive (one round alone can finish within a second on a fast machine).
			long until = System.nanoTime() + RUN.toNanos();
			int round = 0;
			do {
				int offset = round++ * CALLS;
				responses.addAll(WalletConcurrencyIntegrationTests.concurrently(CALLS, i -> call.apply(offset + i)));
			}
			while (System.nanoTime() < until);
		}
		finally {
			sweeping.set(false);
			sweeper.join(10_000);
		}
		assertThat(responses).allMatch(r -> List.of(200, 201, 402, 409, 422).contains(r.status()),
				"only business outcomes, no 500");
		assertThat(responses).filteredOn(r -> r.status() >= 400)
			.allMatch(r -> r.contentType().startsWith("application/problem+json"));
		assertThat(responses).filteredOn(r -> r.status() == 409)
			.allMatch(r -> List.of("hold_captured", "hold_voided", "hold_expired")
				.contains(r.json().get("code").asString()));
		assertThat(created).hasSizeGreaterThan(20);
		assertThat(expiredBySweeper.get()).as("holds expired by the sweeper during the run").isPositive();
		assertThat(responses).filteredOn(r -> r.status() == 409)
			.anyMatch(r -> r.json().get("code").asString().equals("hold_expired"));

		List<UUID> ids = created.stream().map(hold -> UUID.fromString(hold[0])).toList();
		// No hold captured beyond its amount, and its captures add up to what it says.
		assertThat(jdbc.sql("""
				select count(*) from holds h
				 where h.id in (:ids)
				   and (h.captured > h.amount or h.captured <> (select coalesce(sum(o.amount), 0) from operations o
				                                                 where o.hold_id = h.id and o.type = 'capture'))
				""").param("ids", ids).query(Long.class).single()).isZero();
		// No capture after a void or an expiry, nor at or past the deadline.
		assertThat(jdbc.sql("""
				select count(*) from operations c
				  join holds h on h.id = c.hold_id
				  join operations closing on closing.hold_id = h.id and closing.type in ('hold_void', 'hold_expired')
				 where h.id in (:ids) and c.type = 'capture'
				   and (c.created_at > closing.created_at or c.created_at >= h.expires_at)
				""").param("ids", ids).query(Long.class).single()).isZero();
		assertThat(jdbc.sql("""
				select count(*) from holds where id in (:ids) and status = 'voided'
				   and not exists (select 1 from operations o where o.hold_id = holds.id and o.type = 'hold_void')
				""").param("ids", ids).query(Long.class).single()).isZero();
		// Available never went negative: every history entry of these wallets kept held within the balance.
		assertThat(jdbc.sql("""
				select count(*) from wallet_entries e join wallets w on w.id = e.wallet_id
				 where w.token in (:tokens) and (e.held_after < 0 or e.held_after > e.balance_after)
				""").param("tokens", customers.stream().map(Party::wallet).toList()).query(Long.class).single())
			.isZero();

		LedgerReport report = ledger.verify();
		assertThat(report.mismatches()).isEmpty();
		assertThat(report.holdMismatches()).isEmpty();
		assertThat(report.ok()).isTrue();
	}
}
