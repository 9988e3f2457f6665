package io.walleye.wallet;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.walleye.identity.Identity;
import io.walleye.identity.IssuedKey;
import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;
import io.walleye.platform.ApiException;
import io.walleye.platform.FieldError;
import io.walleye.platform.Ids;
import io.walleye.wallet.domain.WalletTokens;
import io.walleye.wallet.persistence.Owners;
import io.walleye.wallet.persistence.WalletRow;
import io.walleye.wallet.persistence.Wallets;

/** Customers and businesses sign up (and get their first API key), then open wallets. */
@Service
public class Registrations {

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

	private final Owners owners;

	private final Wallets wallets;

	private final Identity identity;

	private final Clock clock;

	private final Ids ids;

	Registrations(Owners owners, Wallets wallets, Identity identity, Clock clock, Ids ids) {
		this.owners = owners;
		this.wallets = wallets;
		this.identity = identity;
		this.clock = clock;
		this.ids = ids;
	}

	/** Registers a customer or a business ({@code type}) and issues its first API key. */
	@Transactional
	public Registered register(PrincipalType type, @Nullable String name, @Nullable String email) {
		List<FieldError> errors = new ArrayList<>();
		String cleanName = name == null ? "" : name.strip();
		String cleanEmail = email == null ? "" : email.strip();
		if (cleanName.isEmpty() || cleanName.length() > 200) {
			errors.add(FieldError.of("name", "must be 1 to 200 characters"));
		}
		if (cleanEmail.length() > 254 || !EMAIL.matcher(cleanEmail).matches()) {
			errors.add(FieldError.of("email", "must be a valid email address"));
		}
		if (!errors.isEmpty()) {
			throw Checks.validation(errors);
		}
		UUID id = ids.next();
		// PostgreSQL keeps microseconds: answer with the instant as it will read back.
		Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
		String ownerType = Checks.ownerType(type);
		if (!owners.insert(ownerType, id, cleanName, cleanEmail, now)) {
			throw ApiException.conflict("email_taken", "A " + ownerType + " with this email is already registered");
		}
		IssuedKey key = identity.issueApiKey(type, id);
		return new Registered(id, cleanName, cleanEmail, key.key(), now);
	}

	/** Opens a wallet for the caller; a business may have only one. */
	@Transactional
	public WalletView openWallet(Principal caller, @Nullable String currencyCode) {
		Currency currency = Checks.currency(currencyCode == null ? "EUR" : currencyCode);
		// PostgreSQL keeps microseconds: answer with the instant as it will read back.
		Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
		WalletRow wallet = new WalletRow(ids.next(), WalletTokens.generate(), Checks.ownerType(caller.type()),
				caller.id(), currency, 0, 0, now, now);
		if (!wallets.insert(wallet)) {
			throw ApiException.conflict("wallet_exists", "A business may own exactly one wallet; it has one already");
		}
		return Checks.view(wallet);
	}
}
