package io.walleye.wallet;

import java.time.Instant;

/** A wallet's balance as it was at an instant. */
public record BalanceAt(String balance, String currency, Instant at) {
}
