package io.walleye.wallet;

import java.util.UUID;

/**
 * What a money movement came to: accepted, rejected for lack of funds (stored too), a duplicate invoice, or a hold
 * created or changed.
 */
public sealed interface Outcome {

	record Accepted(OperationView operation) implements Outcome {
	}

	record Rejected(OperationView operation) implements Outcome {
	}

	/** The invoice was already charged or held; nothing was stored. */
	record DuplicateInvoice(UUID originalOperationId) implements Outcome {
	}

	/** A hold answered as itself: {@code created} by an authorisation (201), or changed by a void (200). */
	record Held(HoldView hold, boolean created) implements Outcome {
	}
}
