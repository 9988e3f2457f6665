package io.walleye.wallet;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

import io.walleye.identity.Principal;

/** A charge whose fields passed the checks: what a batch of the group commit is made of. */
record ChargeCommand(Principal business, String walletToken, BigDecimal amount, String invoice,
		@Nullable String description) implements WalletCommand {
}
