package io.walleye.wallet;

import java.util.UUID;

/** What a money movement came to: accepted, rejected for lack of funds (stored too), or a duplicate invoice. */
public sealed interface Outcome {

	record Accepted(OperationView operation) implements Outcome {
	}

	record Rejected(OperationView operation) implements Outcome {
	}

	/** The invoice was already charged; nothing was stored. */
	record DuplicateInvoice(UUID originalOperationId) implements Outcome {
	}
}
