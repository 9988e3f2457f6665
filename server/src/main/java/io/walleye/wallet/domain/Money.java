package io.walleye.wallet.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Currency;

/**
 * An amount in integer minor units of a currency (cents for EUR). Arithmetic is exact and refuses to overflow: a
 * balance that would wrap around is an error, never a silently wrong number.
 */
public record Money(long minor, Currency currency) {

	/** Longest amount text (and most digits) accepted: far beyond any real amount, far below a costly one. */
	public static final int MAX_LENGTH = 64;

	/** A long holds 19 digits: an amount with more before the point cannot be one. */
	private static final int MAX_INTEGER_DIGITS = 19;

	/** The decimal text of an amount in the currency's own number of decimals, e.g. {@code 12.50}. */
	public String toDecimalString() {
		return format(minor, currency);
	}

	public static String format(long minor, Currency currency) {
		return BigDecimal.valueOf(minor, fractionDigits(currency)).toPlainString();
	}

	public static int fractionDigits(Currency currency) {
		return Math.max(0, currency.getDefaultFractionDigits());
	}

	/**
	 * Reads an amount a client sent (decimal text, never through floating point). Refuses zero, negative, more
	 * decimals than the currency has, and anything above {@code maxMinor}.
	 */
	public static Money parse(BigDecimal amount, Currency currency, long maxMinor) {
		int digits = fractionDigits(currency);
		if (amount.signum() <= 0) {
			throw new InvalidAmount("must be greater than zero");
		}
		// Magnitude and scale come from the representation, before any arithmetic: 1E+999999999 is refused here
		// instead of being expanded into a billion-digit number.
		if ((long) amount.precision() - amount.scale() > MAX_INTEGER_DIGITS) {
			throw new InvalidAmount("must not exceed " + format(maxMinor, currency));
		}
		if (amount.precision() > MAX_LENGTH) {
			throw new InvalidAmount("is too long: at most " + MAX_LENGTH + " digits");
		}
		BigDecimal stripped = amount.stripTrailingZeros();
		if (stripped.scale() > digits) {
			throw new InvalidAmount("has more than " + digits + " decimals for " + currency.getCurrencyCode());
		}
		BigInteger minor = stripped.setScale(digits).unscaledValue();
		if (minor.compareTo(BigInteger.valueOf(maxMinor)) > 0) {
			throw new InvalidAmount("must not exceed " + format(maxMinor, currency));
		}
		return new Money(minor.longValueExact(), currency);
	}

	/**
	 * Reads an amount's text (a JSON string or number as sent). The length is checked first, so the conversion never
	 * works on more than {@value #MAX_LENGTH} characters.
	 */
	public static BigDecimal read(String text) {
		if (text.length() > MAX_LENGTH) {
			throw new InvalidAmount("is too long: at most " + MAX_LENGTH + " characters");
		}
		try {
			return new BigDecimal(text.strip());
		}
		catch (NumberFormatException ex) {
			throw new InvalidAmount("must be a decimal number such as 12.50");
		}
	}

	/** The largest amount, in minor units, that {@code major} whole-or-decimal units make in the currency. */
	public static long toMinorCapped(BigDecimal major, Currency currency) {
		BigDecimal minor = major.movePointRight(fractionDigits(currency));
		return minor.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : minor.longValue();
	}

	/** Adds to a balance; an overflow is refused. */
	public static long credit(long balance, long amount) {
		try {
			return Math.addExact(balance, amount);
		}
		catch (ArithmeticException ex) {
			throw new BalanceOverflow();
		}
	}

	/** An amount a client sent that cannot be taken. */
	public static final class InvalidAmount extends RuntimeException {

		private final String reason;

		public InvalidAmount(String message) {
			super(message, null, false, false);
			this.reason = message;
		}

		@Override
		public String getMessage() {
			return reason;
		}
	}

	/** A credit that would push a balance past what 64 bits of minor units hold. */
	public static final class BalanceOverflow extends RuntimeException {

		public BalanceOverflow() {
			super("balance would overflow", null, false, false);
		}
	}
}
