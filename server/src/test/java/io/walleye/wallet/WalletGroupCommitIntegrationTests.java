package io.walleye.wallet;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.platform.ApiException;
import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;
import io.walleye.wallet.WalletFixtures.Business;
import io.walleye.wallet.WalletFixtures.Party;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit of charges, switched on for this class only (its own {@link Charges} over the shared context's
 * {@link Movements}): charges from many threads decided in batches, with the same invariants as one transaction
 * per charge.
 */
@WalleyeIntegrationTest
class WalletGroupCommitIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	Movements movements;

	@Autowired
	Ledger ledger;

	@Autowired
	io.walleye.platform.DatabaseTimeouts timeouts;

	WalletFixtures fixtures;

	Charges charges;

	@BeforeEach
	void startGroupCommit() {
		fixtures = new WalletFixtures(api);
		charges = new Charges(movements, new WalletProperties(new BigDecimal("1000000.00"),
				java.time.Duration.ofSeconds(5), java.time.Duration.ofHours(24), 1000,
				new WalletProperties.GroupCommit(true, 2, 16), new WalletProperties.Holds(java.time.Duration.ofDays(7),
						java.time.Duration.ofDays(30), java.time.Duration.ofSeconds(5), 500)), timeouts);
		charges.start();
	}

	@AfterEach
	void stopGroupCommit() {
		charges.stop();
	}

	@Test
	void batchedChargesOnOneWalletNeverSpendMoreThanItHolds() throws Exception {
		Party customer = fixtures.customer("10.00");
		Business shop = fixtures.businessWithPrincipal();
		List<Object> results = concurrently(50, i -> charge(shop, customer.wallet(), "0.30", "G-" + i));
		assertThat(results.stream().filter(Outcome.Accepted.class::isInstance).count()).isEqualTo(33);
		assertThat(results.stream().filter(Outcome.Rejected.class::isInstance).count()).isEqualTo(17);
		assertThat(fixtures.balance(customer)).isEqualTo("0.10");
		assertThat(fixtures.balance(shop.party())).isEqualTo("9.90");
		assertThat(charges.batches()).as("transactions for 50 charges").isLessThan(50);
		// Decided in order: every accepted charge's balance is 0.30 below the one before it in the history.
		JsonNode items = api.get("/api/v1/wallets/" + customer.wallet() + "/operations?status=accepted&type=charge&limit=100")
			.bearer(customer.key())
			.send()
			.json()
			.get("items");
		for (int i = 1; i < items.size(); i++) {
			assertThat(new BigDecimal(items.get(i).get("balance_after").asString())
				.subtract(new BigDecimal(items.get(i - 1).get("balance_after").asString()))).isEqualByComparingTo("0.30");
		}
	}

	@Test
	void theSameInvoiceInOneBatchIsChargedOnce() throws Exception {
		Party customer = fixtures.customer("100.00");
		Business shop = fixtures.businessWithPrincipal();
		List<Object> results = concurrently(20, i -> charge(shop, customer.wallet(), "1.00", "SAME-G"));
		assertThat(results.stream().filter(Outcome.Accepted.class::isInstance).count()).isEqualTo(1);
		assertThat(results.stream().filter(Outcome.DuplicateInvoice.class::isInstance).count()).isEqualTo(19);
		assertThat(fixtures.balance(customer)).isEqualTo("99.00");
	}

	@Test
	void aRefusedChargeDoesNotSinkItsBatch() throws Exception {
		Party customer = fixtures.customer("100.00");
		Business shop = fixtures.businessWithPrincipal();
		List<Object> results = concurrently(30,
				i -> charge(shop, i % 3 == 0 ? "wal_nosuchwallet" : customer.wallet(), "1.00", "B-" + i));
		assertThat(results.stream().filter(r -> r instanceof ApiException e && e.status().value() == 404).count())
			.isEqualTo(10);
		assertThat(results.stream().filter(Outcome.Accepted.class::isInstance).count()).isEqualTo(20);
		assertThat(fixtures.balance(customer)).isEqualTo("80.00");
	}

	@Test
	void manyBusinessesChargingSharedCustomersKeepTheBooksBalanced() throws Exception {
		List<Party> customers = List.of(fixtures.customer("30.00"), fixtures.customer("30.00"),
				fixtures.customer("30.00"));
		List<Business> shops = List.of(fixtures.businessWithPrincipal(), fixtures.businessWithPrincipal(), fixtures.businessWithPrincipal(), fixtures.businessWithPrincipal());
		List<Object> results = concurrently(200, i -> charge(shops.get(i % shops.size()),
				customers.get(i % customers.size()).wallet(), "0.70", "S-" + i));
		assertThat(results).allMatch(r -> r instanceof Outcome.Accepted || r instanceof Outcome.Rejected);
		LedgerReport report = ledger.verify();
		assertThat(report.mismatches()).isEmpty();
		assertThat(report.ok()).isTrue();
		for (Party customer : customers) {
			assertThat(new BigDecimal(fixtures.balance(customer))).isBetween(BigDecimal.ZERO, new BigDecimal("0.69"));
		}
	}

	private Object charge(Business shop, String wallet, String amount, String invoice) {
		try {
			return charges.charge(shop.principal(), wallet, new BigDecimal(amount), invoice, null);
		}
		catch (ApiException refused) {
			return refused;
		}
	}

	private static List<Object> concurrently(int count, java.util.function.IntFunction<Object> call) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Object>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int index = i;
				Callable<Object> task = () -> {
					start.await();
					return call.apply(index);
				};
				futures.add(pool.submit(task));
			}
			start.countDown();
			List<Object> results = new ArrayList<>();
			for (Future<Object> future : futures) {
				results.add(future.get(60, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}
}
