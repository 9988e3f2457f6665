package io.walleye.wallet;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

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
 * The ledger's invariants under real concurrency: many threads hitting the HTTP API at once against the real
 * PostgreSQL, all released together by a latch.
 */
@WalleyeIntegrationTest
class WalletConcurrencyIntegrationTests {

	static final int THREADS = 16;

	@Autowired
	TestApi api;

	@Autowired
	Ledger ledger;

	WalletFixtures fixtures;

	@BeforeEach
	void setUp() {
		fixtures = new WalletFixtures(api);
	}

	@Test
	void manyChargesOnOneWalletNeverSpendMoreThanItHolds() throws Exception {
		Party customer = fixtures.customer("10.00");
		Party business = fixtures.business();
		List<Response> responses = concurrently(50, i -> fixtures.charge(business, customer.wallet(), "0.30", "M-" + i));
		long accepted = responses.stream().filter(r -> r.status() == 201).count();
		long rejected = responses.stream().filter(r -> r.status() == 402).count();
		assertThat(accepted + rejected).isEqualTo(50);
		assertThat(accepted).isEqualTo(33);
		assertThat(fixtures.balance(customer)).isEqualTo("0.10");
		assertThat(fixtures.balance(business)).isEqualTo("9.90");
		JsonNode rejectedInHistory = api
			.get("/api/v1/wallets/" + customer.wallet() + "/operations?type=charge&status=rejected&limit=500")
			.bearer(customer.key())
			.send()
			.json()
			.get("items");
		assertThat(rejectedInHistory.size()).isEqualTo((int) rejected);
	}

	@Test
	void theSameInvoiceFromManyThreadsIsChargedOnce() throws Exception {
		Party customer = fixtures.customer("100.00");
		Party business = fixtures.business();
		List<Response> responses = concurrently(20, i -> fixtures.charge(business, customer.wallet(), "1.00", "SAME"));
		assertThat(responses.stream().filter(r -> r.status() == 201).count()).isEqualTo(1);
		assertThat(responses.stream().filter(r -> r.status() == 409).count()).isEqualTo(19);
		assertThat(fixtures.balance(customer)).isEqualTo("99.00");
	}

	@Test
	void theSameInvoiceWithTheSameIdempotencyKeyExecutesOnce() throws Exception {
		Party customer = fixtures.customer("100.00");
		Party business = fixtures.business();
		String key = UUID.randomUUID().toString();
		Map<String, String> body = Map.of("wallet_token", customer.wallet(), "amount", "1.00", "invoice", "KEYED");
		List<Response> responses = concurrently(20,
				i -> api.post("/api/v1/charges", body).bearer(business.key()).header("Idempotency-Key", key).send());
		List<Response> created = responses.stream().filter(r -> r.status() == 201).toList();
		assertThat(responses).allMatch(r -> r.status() == 201 || r.status() == 409, "201 or in-flight 409");
		assertThat(created).isNotEmpty();
		assertThat(created.stream().filter(r -> r.header("Idempotent-Replayed").isEmpty()).count()).isEqualTo(1);
		assertThat(created.stream().map(r -> r.json().get("id").asString()).distinct().count()).isEqualTo(1);
		assertThat(fixtures.balance(customer)).isEqualTo("99.00");
		assertThat(api.get("/api/v1/wallets/" + customer.wallet() + "/operations?type=charge")
			.bearer(customer.key())
			.send()
			.json()
			.get("items")
			.size()).isEqualTo(1);
	}

	@Test
	void chargesAndRefundsInBothDirectionsBetweenTheSameWalletsComplete() throws Exception {
		Party first = fixtures.customer("100.00");
		Party second = fixtures.customer("100.00");
		Party shopA = fixtures.business();
		Party shopB = fixtures.business();
		List<String> chargesA = new ArrayList<>();
		List<String> chargesB = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			chargesA.add(fixtures.charge(shopA, first.wallet(), "1.00", "A-" + i).json().get("id").asString());
			chargesB.add(fixtures.charge(shopB, second.wallet(), "1.00", "B-" + i).json().get("id").asString());
		}
		// Customer → business charges racing business → customer refunds over the same pairs of wallets.
		List<Response> responses = concurrently(80, i -> switch (i % 4) {
			case 0 -> fixtures.charge(shopA, first.wallet(), "0.50", "A2-" + i);
			case 1 -> api.post("/api/v1/charges/" + chargesA.get(i / 4) + "/refunds").bearer(shopA.key()).send();
			case 2 -> fixtures.charge(shopB, second.wallet(), "0.50", "B2-" + i);
			default -> api.post("/api/v1/charges/" + chargesB.get(i / 4) + "/refunds").bearer(shopB.key()).send();
		});
		assertThat(responses).allMatch(r -> r.status() == 201, "every charge and refund completes");
		assertThat(fixtures.balance(first)).isEqualTo("90.00");
		assertThat(fixtures.balance(shopA)).isEqualTo("10.00");
		assertThat(ledger.verify().mismatches()).isEmpty();
	}

	@Test
	void aMixedRandomWorkloadLeavesTheBooksBalanced() throws Exception {
		List<Party> customers = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			customers.add(fixtures.customer("20.00"));
		}
		List<Party> businesses = List.of(fixtures.business(), fixtures.business(), fixtures.business());
		List<String[]> charges = java.util.Collections.synchronizedList(new ArrayList<>());
		List<Response> responses = concurrently(300, i -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			Party customer = customers.get(random.nextInt(customers.size()));
			Party business = businesses.get(random.nextInt(businesses.size()));
			String amount = BigDecimal.valueOf(random.nextInt(1, 800), 2).toPlainString();
			return switch (random.nextInt(5)) {
				case 0 -> api.post("/api/v1/wallets/" + customer.wallet() + "/deposits", Map.of("amount", amount))
					.bearer(customer.key())
					.send();
				case 1 -> api.post("/api/v1/wallets/" + customer.wallet() + "/withdrawals", Map.of("amount", amount))
					.bearer(customer.key())
					.send();
				case 2 -> {
					if (charges.isEmpty()) {
						yield fixtures.charge(business, customer.wallet(), amount, "R-" + i);
					}
					String[] charge = charges.get(random.nextInt(charges.size()));
					Party owner = businesses.stream().filter(b -> b.key().equals(charge[1])).findFirst().orElseThrow();
					yield api.post("/api/v1/charges/" + charge[0] + "/refunds", Map.of("amount", "0.01"))
						.bearer(owner.key())
						.send();
				}
				default -> {
					Response charged = fixtures.charge(business, customer.wallet(), amount,
							"R-" + random.nextInt(200));
					if (charged.status() == 201) {
						charges.add(new String[] { charged.json().get("id").asString(), business.key() });
					}
					yield charged;
				}
			};
		});
		assertThat(responses).allMatch(r -> List.of(201, 402, 409, 422).contains(r.status()),
				"only business outcomes, no 500");
		LedgerReport report = ledger.verify();
		assertThat(report.mismatches()).isEmpty();
		assertThat(report.postingsSumByCurrency().values()).allMatch(sum -> new BigDecimal(sum).signum() == 0);
		assertThat(report.ok()).isTrue();
	}

	/** Runs {@code count} calls on {@value #THREADS} threads released together; returns the responses in order. */
	static <T> List<T> concurrently(int count, IntFunction<T> call) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(THREADS);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int index = i;
				Callable<T> task = () -> {
					start.await();
					return call.apply(index);
				};
				futures.add(pool.submit(task));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(60, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}
}
