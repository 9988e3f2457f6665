package io.walleye.wallet;

import java.time.Instant;

/** A wallet's balance, held and available amounts as they were at an instant. */
public record BalanceAt(String balance, String held, String available, String currency, Instant at) {
}
