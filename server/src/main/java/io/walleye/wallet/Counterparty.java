package io.walleye.wallet;

import org.jspecify.annotations.Nullable;

/**
 * The other side of an operation: another wallet ({@code kind} "wallet") or money entering or leaving the platform
 * ({@code kind} "external", for deposits and withdrawals).
 */
public record Counterparty(String kind, @Nullable String walletToken, @Nullable String ownerType,
		@Nullable String name) {

	public static final Counterparty EXTERNAL = new Counterparty("external", null, null, null);
}
