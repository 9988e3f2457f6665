package io.walleye.platform;

import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Counter;

/** Housekeeping done in bounded batches, each its own short transaction, next to the traffic. */
public final class Batches {

	private Batches() {
	}

	/**
	 * Runs {@code batch} until it handles fewer than {@code size} rows (nothing more is due), counting each on
	 * {@code counter}; the total handled.
	 */
	public static int untilShort(int size, IntSupplier batch, Counter counter) {
		int total = 0;
		int handled;
		do {
			handled = batch.getAsInt();
			total += handled;
			counter.increment(handled);
		}
		while (handled == size);
		return total;
	}
}
