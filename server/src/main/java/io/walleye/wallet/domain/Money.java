package io.walleye.wallet.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Currency;

/**
 * An amount in integer minor units of a currency (cents for EUR). Arithmetic is exact and refuses to overflow: a
 * balance that would wrap around is an error, never a silently wrong number.
 */
public record Money(long minor, Currency currency) {

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
		BigDecimal stripped = amount.stripTrailingZeros();
		if (stripped.signum() <= 0) {
			throw new InvalidAmount("must be greater than zero");
		}
		if (stripped.scale() > digits) {
			throw new InvalidAmount("has more than " + digits + " decimals for " + currency.getCurrencyCode());
		}
		BigInteger minor = stripped.setScale(digits).unscaledValue();
		if (minor.compareTo(BigInteger.valueOf(maxMinor)) > 0) {
			throw new InvalidAmount("must not exceed " + format(maxMinor, currency));
		}
		return new Money(minor.longValueExact(), currency);
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
