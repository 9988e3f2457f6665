package io.walleye.wallet;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;
import io.walleye.platform.ApiException;
import io.walleye.platform.FieldError;
import io.walleye.wallet.domain.Money;
import io.walleye.wallet.persistence.WalletRow;
import io.walleye.wallet.persistence.Wallets;

/** The refusals the wallet's commands and queries share, so each is worded and classified once. */
final class Checks {

	private Checks() {
	}

	static ApiException validation(List<FieldError> errors) {
		return new ApiException(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed",
				"The request has invalid fields; see errors")
			.with("errors", errors);
	}

	/** The caller's wallet among what was found by token; anyone else's is "not found", never "forbidden". */
	static WalletRow owned(Optional<WalletRow> found, Principal caller) {
		return found
			.filter(wallet -> wallet.ownerId().equals(caller.id())
					&& wallet.ownerType().equals(caller.type().name().toLowerCase(Locale.ROOT)))
			.orElseThrow(() -> ApiException.notFound("wallet_not_found", "You have no wallet with this token"));
	}

	static WalletRow existing(Optional<WalletRow> found) {
		return found.orElseThrow(() -> ApiException.notFound("wallet_not_found", "No wallet has this token"));
	}

	static Money amount(@Nullable BigDecimal amount, Currency currency, BigDecimal maxAmount) {
		if (amount == null) {
			throw validation(List.of(FieldError.of("amount", "is required")));
		}
		try {
			return Money.parse(amount, currency, Money.toMinorCapped(maxAmount, currency));
		}
		catch (Money.InvalidAmount ex) {
			throw validation(List.of(FieldError.of("amount", ex.getMessage())));
		}
	}

	static long credit(long balance, long amount) {
		try {
			return Money.credit(balance, amount);
		}
		catch (Money.BalanceOverflow ex) {
			throw ApiException.unprocessable("balance_overflow", "The balance would exceed what a wallet can hold");
		}
	}

	static void description(@Nullable String description) {
		if (description != null && description.length() > 500) {
			throw validation(List.of(FieldError.of("description", "must be at most 500 characters")));
		}
	}

	static Currency currency(String code) {
		try {
			if (code.length() == 3 && code.equals(code.toUpperCase(Locale.ROOT))) {
				return Currency.getInstance(code);
			}
		}
		catch (IllegalArgumentException ex) {
			// fall through to the validation error
		}
		throw validation(List.of(FieldError.of("currency", "must be an ISO 4217 code such as EUR")));
	}

	static void requireType(Principal caller, PrincipalType type) {
		if (caller.type() != type) {
			throw ApiException.forbidden("forbidden", "Only a " + type.name().toLowerCase(Locale.ROOT) + " may do this");
		}
	}

	static String ownerType(PrincipalType type) {
		return switch (type) {
			case CUSTOMER -> "customer";
			case BUSINESS -> "business";
			default -> throw ApiException.forbidden("forbidden", "Only customers and businesses own wallets");
		};
	}

	/** The customer's wallet a charge or hold takes from and the business's wallet it pays. */
	record Parties(Wallets.Locked payer, Wallets.Locked payee) {
	}

	/** Refuses a charge's or hold's wallets in one order for both: no business wallet, unknown token, kind, currency. */
	static Parties parties(Wallets.@Nullable Locked payer, Wallets.@Nullable Locked payee) {
		if (payee == null) {
			throw ApiException.unprocessable("business_has_no_wallet",
					"Open the business's wallet (POST /api/v1/wallets) before charging");
		}
		if (payer == null) {
			throw ApiException.notFound("wallet_not_found", "No wallet has this token");
		}
		WalletRow from = payer.wallet();
		WalletRow to = payee.wallet();
		if (!from.ownerType().equals("customer")) {
			throw ApiException.unprocessable("not_a_customer_wallet", "Only customers' wallets can be charged");
		}
		if (!from.currency().equals(to.currency())) {
			throw ApiException.unprocessable("currency_mismatch", "The customer's wallet is in "
					+ from.currency().getCurrencyCode() + ", the business's in " + to.currency().getCurrencyCode());
		}
		return new Parties(payer, payee);
	}

	static WalletView view(WalletRow wallet) {
		return new WalletView(wallet.token(), wallet.currency().getCurrencyCode(),
				Money.format(wallet.balance(), wallet.currency()), Money.format(wallet.held(), wallet.currency()),
				Money.format(wallet.balance() - wallet.held(), wallet.currency()), wallet.ownerType(),
				wallet.createdAt(), wallet.updatedAt());
	}
}
