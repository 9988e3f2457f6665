/**
 * Webhooks and the change feed: events written in the transaction of the change they describe (an outbox fed by
 * {@link io.walleye.platform.Changes}), a feed in commit order ({@link io.walleye.webhooks.ChangeFeed}), endpoints
 * that subscribe to them ({@link io.walleye.webhooks.WebhookEndpoints}) and signed deliveries with retries, done by
 * the {@code worker} role.
 */
@ApplicationModule(displayName = "Webhooks")
@NullMarked
package io.walleye.webhooks;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
