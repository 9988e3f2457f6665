/**
 * Webhook delivery under load: a local receiver, charges at a fixed rate, the delay from commit to receipt.
 */
@NullMarked
package io.walleye.bench.webhooks;

import org.jspecify.annotations.NullMarked;
