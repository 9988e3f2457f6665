package io.walleye.webhooks;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook settings (docs/webhooks.md, Configuration).
 *
 * @param allowHttp accept {@code http://} endpoint URLs (tests, private networks); otherwise https only
 * @param allowPrivate accept hosts resolving to loopback, link-local or private addresses
 * @param timeout how long an attempt may take, from connecting to the response's status line
 * @param retrySchedule the waits before the retries of a failed delivery; the delivery fails after the last
 * @param maxConsecutiveFailures failed deliveries in a row after which an endpoint is disabled
 * @param rotationOverlap how long the previous secret keeps signing after a rotation
 * @param lease how long a claimed delivery belongs to its worker; a worker that dies mid-delivery leaves it due
 * again when the lease ends, so it must exceed {@code timeout}
 * @param retention how long events, their deliveries and attempts are kept; the worker deletes older ones (an event
 * with a delivery still pending stays until it ends), and a feed cursor from before them answers 410
 * @param maxEndpoints endpoints an owner may have (operators' count together): each event is delivered once per
 * subscribed endpoint, so the cap bounds the deliveries one change can cause
 * @param worker the delivery worker of the {@code worker} role
 */
@ConfigurationProperties("walleye.webhooks")
public record WebhooksProperties(@DefaultValue("false") boolean allowHttp, @DefaultValue("false") boolean allowPrivate,
		@DefaultValue("10s") Duration timeout, @DefaultValue({ "5s", "5m", "30m", "2h", "5h", "10h", "24h" }) List<Duration> retrySchedule,
		@DefaultValue("5") int maxConsecutiveFailures, @DefaultValue("24h") Duration rotationOverlap,
		@DefaultValue("60s") Duration lease, @DefaultValue("30d") Duration retention, @DefaultValue("16") int maxEndpoints,
		@DefaultValue Worker worker) {

	public WebhooksProperties {
		if (lease.compareTo(timeout.plusSeconds(1)) < 0) {
			throw new IllegalArgumentException("walleye.webhooks.lease (" + lease
					+ ") must exceed walleye.webhooks.timeout (" + timeout + ") by at least a second");
		}
		Duration lastRetry = retrySchedule.stream().reduce(Duration.ZERO, Duration::plus);
		if (retention.compareTo(lastRetry) <= 0) {
			throw new IllegalArgumentException("walleye.webhooks.retention (" + retention
					+ ") must exceed the whole retry schedule (" + lastRetry + ")");
		}
		if (maxEndpoints < 1) {
			throw new IllegalArgumentException("walleye.webhooks.max-endpoints must be at least 1");
		}
		if (maxConsecutiveFailures < 1) {
			throw new IllegalArgumentException("walleye.webhooks.max-consecutive-failures must be at least 1");
		}
	}

	/**
	 * @param enabled run deliveries in this process (with the worker role)
	 * @param concurrency deliveries in flight at once per process
	 * @param pollInterval how often an idle worker looks for due deliveries (a delivery made in the same process
	 * wakes it at once)
	 */
	public record Worker(@DefaultValue("true") boolean enabled, @DefaultValue("32") int concurrency,
			@DefaultValue("250ms") Duration pollInterval) {
	}
}
