package io.walleye.wallet;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.platform.ApiException;
import io.walleye.platform.DatabaseTimeouts;
import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;
import io.walleye.wallet.WalletFixtures.Business;
import io.walleye.wallet.WalletFixtures.Party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Holds, captures and voids group-committed with charges ({@link Charges#submit}, {@link Movements#decideBatch}):
 * many threads of several businesses on shared wallets over HTTP keep every invariant of one transaction per command.
 */
@WalleyeIntegrationTest
class HoldGroupCommitIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	Charges charges;

	@Autowired
	Movements movements;

	@Autowired
	Ledger ledger;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DatabaseTimeouts timeouts;

	@Test
	void mixedHoldCommandsAndChargesInBatchesKeepEveryInvariant() throws Exception {
		WalletFixtures fixtures = new WalletFixtures(api);
		List<Party> customers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			customers.add(fixtures.customer("60.00"));
		}
		List<Party> shops = List.of(fixtures.business(), fixtures.business(), fixtures.business());
		List<String[]> created = Collections.synchronizedList(new ArrayList<>());
		String run = UUID.randomUUID().toString().substring(0, 8);
		long batchesBefore = charges.batches();
		int calls = 400;
		List<Response> responses = WalletConcurrencyIntegrationTests.concurrently(calls, i -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			Party customer = customers.get(random.nextInt(customers.size()));
			Party shop = shops.get(random.nextInt(shops.size()));
			String amount = BigDecimal.valueOf(random.nextInt(50, 900), 2).toPlainString();
			int kind = created.isEmpty() ? 0 : random.nextInt(8);
			return switch (kind) {
				case 0, 1, 2 -> {
					Response response = api.post("/api/v1/holds", Map.of("wallet_token", customer.wallet(), "amount",
							amount, "invoice", run + "-" + i)).bearer(shop.key()).send();
					if (response.status() == 201) {
						created.add(new String[] { response.json().get("id").asString(), shop.key() });
					}
					yield response;
				}
				case 3, 4 -> {
					String[] hold = created.get(random.nextInt(created.size()));
					Map<String, Object> body = random.nextBoolean() ? Map.of("amount", "0.40")
							: Map.of("amount", "0.25", "final", random.nextInt(3) == 0);
					yield api.post("/api/v1/holds/" + hold[0] + "/captures", body).bearer(hold[1]).send();
				}
				case 5 -> {
					String[] hold = created.get(random.nextInt(created.size()));
					yield api.post("/api/v1/holds/" + hold[0] + "/void").bearer(hold[1]).send();
				}
				default -> fixtures.charge(shop, customer.wallet(), amount, run + "-c" + i);
			};
		});
		assertThat(responses).allMatch(r -> List.of(200, 201, 402, 409, 422).contains(r.status()),
				"only business outcomes, no 500 or 503");
		assertThat(responses).filteredOn(r -> r.status() == 409)
			.allMatch(r -> List.of("hold_captured", "hold_voided").contains(r.json().get("code").asString()));
		assertThat(responses).filteredOn(r -> r.status() == 402).isNotEmpty();
		assertThat(charges.batches() - batchesBefore).as("transactions for %d commands", calls).isLessThan(calls);

		List<UUID> ids = created.stream().map(hold -> UUID.fromString(hold[0])).toList();
		assertThat(jdbc.sql("""
				select count(*) from holds h
				 where h.id in (:ids)
				   and (h.captured > h.amount or h.captured <> (select coalesce(sum(o.amount), 0) from operations o
				                                                 where o.hold_id = h.id and o.type = 'capture'))
				""").param("ids", ids).query(Long.class).single()).as("captured beyond a hold").isZero();
		assertThat(jdbc.sql("""
				select count(*) from operations c
				  join operations closing on closing.hold_id = c.hold_id and closing.type = 'hold_void'
				  join holds h on h.id = c.hold_id and h.status = 'voided'
				 where c.hold_id in (:ids) and c.type = 'capture' and c.created_at > closing.created_at
				""").param("ids", ids).query(Long.class).single()).as("captures after a void").isZero();
		assertThat(jdbc.sql("""
				select count(*) from wallet_entries e join wallets w on w.id = e.wallet_id
				 where w.token in (:tokens) and (e.held_after < 0 or e.held_after > e.balance_after)
				""").param("tokens", customers.stream().map(Party::wallet).toList()).query(Long.class).single())
			.as("entries with negative available funds")
			.isZero();
		LedgerReport report = ledger.verify();
		assertThat(report.mismatches()).isEmpty();
		assertThat(report.holdMismatches()).isEmpty();
		assertThat(report.ok()).isTrue();
	}

	@Test
	void capturesCarryingTheirHoldsInvoiceInOneBatchAreNotDuplicates() {
		WalletFixtures fixtures = new WalletFixtures(api);
		Party customer = fixtures.customer("50.00");
		Business shop = fixtures.businessWithPrincipal();
		JsonNode hold = api.post("/api/v1/holds",
				Map.of("wallet_token", customer.wallet(), "amount", "10.00", "invoice", "INV-SAME"))
			.bearer(shop.party().key())
			.send()
			.json();
		UUID holdId = UUID.fromString(hold.get("id").asString());
		List<Object> results = movements.decideBatch(List.of(
				new WalletCommand.Capture(shop.principal(), holdId, new BigDecimal("2.00"), false),
				new WalletCommand.Capture(shop.principal(), holdId, new BigDecimal("3.00"), true),
				Movements.checkCharge(shop.principal(), customer.wallet(), new BigDecimal("1.00"), "INV-SAME", null)),
				null);
		assertThat(results.get(0)).isInstanceOf(Outcome.Accepted.class);
		assertThat(results.get(1)).isInstanceOf(Outcome.Accepted.class);
		assertThat(results.get(2)).as("a charge of the hold's invoice").isInstanceOf(Outcome.DuplicateInvoice.class);
		JsonNode after = api.get("/api/v1/holds/" + holdId).bearer(shop.party().key()).send().json();
		assertThat(after.get("status").asString()).isEqualTo("captured");
		assertThat(after.get("captures")).hasSize(2);
		assertThat(fixtures.balance(customer)).isEqualTo("45.00");
		assertThat(ledger.verify().ok()).isTrue();
	}

	@Test
	void aBatchThatFailsIsDecidedCommandByCommand() throws Exception {
		WalletFixtures fixtures = new WalletFixtures(api);
		Party customer = fixtures.customer("20.00");
		Business shop = fixtures.businessWithPrincipal();
		Movements failing = mock(Movements.class);
		when(failing.decideBatch(any(), any())).thenThrow(new DataIntegrityViolationException("batch refused"));
		when(failing.decideAlone(any())).thenAnswer(call -> movements.decideAlone(call.getArgument(0)));
		Charges alone = new Charges(failing, new WalletProperties(new BigDecimal("1000000.00"), Duration.ofSeconds(5),
				Duration.ofHours(24), 1000, new WalletProperties.GroupCommit(true, 1, 16),
				new WalletProperties.Holds(Duration.ofDays(7), Duration.ofDays(30), Duration.ofSeconds(5), 500)),
				timeouts);
		alone.start();
		try {
			List<Object> results = WalletConcurrencyIntegrationTests.concurrently(12, i -> {
				try {
					return alone.submit(i % 4 == 0 ? new WalletCommand.VoidHold(shop.principal(), UUID.randomUUID())
							: new WalletCommand.Authorise(shop.principal(), customer.wallet(), new BigDecimal("2.00"),
									"F-" + i, null, Duration.ofHours(1)));
				}
				catch (ApiException refused) {
					return refused;
				}
			});
			assertThat(results).filteredOn(Outcome.Held.class::isInstance).hasSize(9);
			assertThat(results).filteredOn(r -> r instanceof ApiException e && e.code().equals("hold_not_found"))
				.hasSize(3);
			assertThat(alone.fallbacks()).as("every failed batch fell back").isEqualTo(alone.batches());
		}
		finally {
			alone.stop();
		}
		assertThat(ledger.verify().ok()).isTrue();
	}

}
