package io.walleye.webhooks;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;
import io.walleye.webhooks.WebhookFixtures.Party;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delivery gives its slot back once its result is queued for the group write, not once the result is written: a
 * database slow to write results must not stop the sending. Two slots, and the recorder's write held by a lock on
 * the attempts table (every result inserts its attempt there; claims and new deliveries do not touch it), with lock
 * and statement timeouts longer than the test: six deliveries must all be sent while the lock is held. Holding each
 * slot until its result was written (the code before 32089bc), two were sent and the test failed waiting for a third.
 */
@WalleyeIntegrationTest
@TestPropertySource(properties = { "walleye.webhooks.worker.concurrency=2", "walleye.db.lock-timeout=60s",
		"walleye.db.statement-timeout=60s", "walleye.webhooks.lease=60s" })
class DeliverySlotIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	DataSource dataSource;

	@Test
	void deliveriesAreStillSentWhileTheirResultsWaitToBeWritten() throws Exception {
		Party customer = WebhookFixtures.party(api, "customers");
		try (Receiver receiver = new Receiver()) {
			String endpointId = WebhookFixtures.endpoint(api, customer, receiver.url(), List.of("operation.accepted"))
				.get("id")
				.asString();
			try (Connection lock = dataSource.getConnection()) {
				lock.setAutoCommit(false);
				try (Statement statement = lock.createStatement()) {
					statement.execute("lock table webhook_attempts in share mode");
				}
				try {
					for (int i = 0; i < 6; i++) {
						WebhookFixtures.deposit(api, customer, "1.00");
					}
					Set<String> sent = new HashSet<>();
					while (sent.size() < 6) {
						sent.add(receiver.next(Duration.ofSeconds(15)).id());
					}
					assertThat(sent).hasSize(6);
				}
				finally {
					lock.rollback();
				}
			}
			// Once the lock is gone the results are written: every delivery ends delivered.
			for (int attempt = 0; attempt < 200; attempt++) {
				Response deliveries = api.get("/api/v1/webhook-endpoints/" + endpointId + "/deliveries?status=delivered")
					.bearer(customer.key())
					.send();
				if (deliveries.json().get("items").size() == 6) {
					return;
				}
				Thread.sleep(100);
			}
			throw new AssertionError("not all six deliveries were recorded as delivered after the lock was released");
		}
	}

}
