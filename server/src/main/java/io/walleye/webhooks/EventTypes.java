package io.walleye.webhooks;

import java.util.List;

/** The event types Walleye emits (docs/webhooks.md describes each). */
public final class EventTypes {

	public static final String WEBHOOK_TEST = "webhook.test";

	/** Every type, in the order the documentation lists them. */
	public static final List<String> ALL = List.of("operation.accepted", "operation.rejected", "refund.created",
			"hold.created", "hold.captured", "hold.voided", "hold.expired", "etl.run.succeeded", "etl.run.failed",
			WEBHOOK_TEST);

	private EventTypes() {
	}
}
