package io.walleye.wallet;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.walleye.identity.Principal;

/**
 * A command of a business on customers' wallets whose request fields passed the checks: what the group commit queues
 * per business and decides in order ({@link Movements#decideBatch}).
 */
public sealed interface WalletCommand permits ChargeCommand, WalletCommand.Authorise, WalletCommand.Capture,
		WalletCommand.VoidHold {

	Principal business();

	/** Reserve {@code amount} of the wallet's available funds for {@code life}. */
	record Authorise(Principal business, String walletToken, BigDecimal amount, String invoice,
			@Nullable String description, Duration life) implements WalletCommand {
	}

	/** Take {@code amount} (null: all that remains) of a hold; {@code last} releases the rest. */
	record Capture(Principal business, UUID holdId, @Nullable BigDecimal amount, boolean last) implements WalletCommand {
	}

	/** Release all that a hold still reserves. */
	record VoidHold(Principal business, UUID holdId) implements WalletCommand {
	}
}
