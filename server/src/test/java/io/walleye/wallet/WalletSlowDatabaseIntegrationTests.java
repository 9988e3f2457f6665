package io.walleye.wallet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.platform.DatabaseTimeouts;
import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;
import io.walleye.wallet.WalletFixtures.Party;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slow database as a client meets it: a hot wallet whose row another transaction keeps locked past
 * {@code lock_timeout}. The requests for that wallet answer {@code 503 database_timeout} and change nothing; every
 * other wallet is served meanwhile.
 */
@WalleyeIntegrationTest
class WalletSlowDatabaseIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	DataSource dataSource;

	@Autowired
	DatabaseTimeouts timeouts;

	@Test
	void everyPooledConnectionCarriesTheStatementAndLockTimeouts() throws Exception {
		try (Connection connection = dataSource.getConnection();
				java.sql.Statement statement = connection.createStatement();
				java.sql.ResultSet settings = statement.executeQuery(
						"select current_setting('statement_timeout'), current_setting('lock_timeout')")) {
			settings.next();
			assertThat(settings.getString(1)).isEqualTo(timeouts.statementTimeout().toSeconds() + "s");
			assertThat(settings.getString(2)).isEqualTo(timeouts.lockTimeout().toSeconds() + "s");
		}
	}

	@Test
	void aWalletLockedPastTheLockTimeoutAnswers503WhileOtherWalletsAreServed() throws Exception {
		WalletFixtures fixtures = new WalletFixtures(api);
		Party hot = fixtures.customer("100.00");
		Party cold = fixtures.customer("100.00");
		Party shop = fixtures.business();
		Party otherShop = fixtures.business();
		CountDownLatch locked = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		// Own threads: the common pool may have a single thread on a small machine, which the holder would keep.
		ExecutorService threads = Executors.newFixedThreadPool(2);
		Future<?> holder = threads.submit(() -> holdLock(hot.wallet(), locked, release));
		assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
		try {
			long start = System.nanoTime();
			Future<Response> hotCharge = threads.submit(() -> fixtures.charge(shop, hot.wallet(), "10.00", "HOT-1"));
			Response coldDeposit = api.post("/api/v1/wallets/" + cold.wallet() + "/deposits", java.util.Map.of("amount", "1.00"))
				.bearer(cold.key())
				.send();
			assertThat(coldDeposit.status()).as(coldDeposit.toString()).isEqualTo(201);
			assertThat(hotCharge.isDone()).as("the cold wallet was served while the hot one waits").isFalse();
			assertThat(fixtures.charge(otherShop, cold.wallet(), "10.00", "COLD-1").status()).isEqualTo(201);

			Response hotAnswer = hotCharge.get(timeouts.handOffWait().toSeconds() + 5, TimeUnit.SECONDS);
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertDatabaseTimeout(hotAnswer);
			// Within the hand-off's deadline: one lock wait for the batch, one for the charge retried on its own.
			assertThat(took).isLessThan(timeouts.handOffWait());

			Response hotDeposit = api.post("/api/v1/wallets/" + hot.wallet() + "/deposits", java.util.Map.of("amount", "1.00"))
				.bearer(hot.key())
				.send();
			assertDatabaseTimeout(hotDeposit);
		}
		finally {
			release.countDown();
			holder.get(30, TimeUnit.SECONDS);
			threads.shutdown();
		}
		assertThat(fixtures.balance(hot)).as("nothing of the refused requests was applied").isEqualTo("100.00");
		assertThat(api.get("/api/v1/wallets/" + hot.wallet() + "/operations").bearer(hot.key()).send().json()
			.get("items")).hasSize(1);
		assertThat(fixtures.charge(shop, hot.wallet(), "10.00", "HOT-1").status()).as("the same invoice, now served")
			.isEqualTo(201);
		assertThat(fixtures.balance(cold)).isEqualTo("91.00");
	}

	private static void assertDatabaseTimeout(Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(503);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo("database_timeout");
		assertThat(response.header("Retry-After")).contains("5");
	}

	/** Another client's transaction holding the wallet's row, as a long report or a stuck session would. */
	private void holdLock(String walletToken, CountDownLatch locked, CountDownLatch release) {
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (PreparedStatement lock = connection.prepareStatement("select id from wallets where token = ? for update")) {
				lock.setString(1, walletToken);
				lock.executeQuery().close();
			}
			locked.countDown();
			release.await(60, TimeUnit.SECONDS);
			connection.rollback();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}
}
