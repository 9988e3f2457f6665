package io.walleye.wallet.domain;

import java.math.BigDecimal;
import java.util.Currency;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoneyTests {

	static final Currency EUR = Currency.getInstance("EUR");

	static final Currency JPY = Currency.getInstance("JPY");

	static final Currency BHD = Currency.getInstance("BHD");

	@Test
	void parsesDecimalsIntoMinorUnitsOfTheCurrency() {
		assertThat(Money.parse(new BigDecimal("12.50"), EUR, Long.MAX_VALUE).minor()).isEqualTo(1250);
		assertThat(Money.parse(new BigDecimal("12.5"), EUR, Long.MAX_VALUE).minor()).isEqualTo(1250);
		assertThat(Money.parse(new BigDecimal("1E+2"), EUR, Long.MAX_VALUE).minor()).isEqualTo(10000);
		assertThat(Money.parse(new BigDecimal("150"), JPY, Long.MAX_VALUE).minor()).isEqualTo(150);
		assertThat(Money.parse(new BigDecimal("1.005"), BHD, Long.MAX_VALUE).minor()).isEqualTo(1005);
		assertThat(Money.parse(new BigDecimal("3.10"), EUR, 1000).toDecimalString()).isEqualTo("3.10");
	}

	@Test
	void refusesZeroNegativeTooPreciseAndTooLarge() {
		assertThatThrownBy(() -> Money.parse(BigDecimal.ZERO, EUR, 100)).isInstanceOf(Money.InvalidAmount.class);
		assertThatThrownBy(() -> Money.parse(new BigDecimal("-1"), EUR, 100)).isInstanceOf(Money.InvalidAmount.class);
		assertThatThrownBy(() -> Money.parse(new BigDecimal("0.001"), EUR, 100))
			.hasMessageContaining("more than 2 decimals");
		assertThatThrownBy(() -> Money.parse(new BigDecimal("1.5"), JPY, 100))
			.hasMessageContaining("more than 0 decimals");
		assertThatThrownBy(() -> Money.parse(new BigDecimal("1.01"), EUR, 100)).hasMessageContaining("must not exceed 1.00");
		assertThatThrownBy(() -> Money.parse(new BigDecimal("1e30"), EUR, Long.MAX_VALUE))
			.isInstanceOf(Money.InvalidAmount.class);
	}

	@Test
	void aCreditThatWouldOverflowIsRefusedNotWrapped() {
		assertThat(Money.credit(Long.MAX_VALUE - 1, 1)).isEqualTo(Long.MAX_VALUE);
		assertThatThrownBy(() -> Money.credit(Long.MAX_VALUE, 1)).isInstanceOf(Money.BalanceOverflow.class);
	}

	@Test
	void maximumInMajorUnitsBecomesMinorUnits() {
		assertThat(Money.toMinorCapped(new BigDecimal("1000000.00"), EUR)).isEqualTo(100_000_000L);
		assertThat(Money.toMinorCapped(new BigDecimal("1000000"), JPY)).isEqualTo(1_000_000L);
		assertThat(Money.toMinorCapped(new BigDecimal("1e40"), EUR)).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void formatsWithTheCurrencysDecimals() {
		assertThat(Money.format(5, EUR)).isEqualTo("0.05");
		assertThat(Money.format(0, EUR)).isEqualTo("0.00");
		assertThat(Money.format(1234, JPY)).isEqualTo("1234");
	}

	@Test
	void walletTokensCarryEnoughRandomness() {
		String token = WalletTokens.generate();
		assertThat(token).startsWith("wal_").hasSize(28);
		assertThat(WalletTokens.looksValid(token)).isTrue();
		assertThat(WalletTokens.generate()).isNotEqualTo(token);
	}

	@Test
	void judgesHugeExponentsAndLongTextBeforeAnyArithmetic() {
		long started = System.nanoTime();
		assertThatThrownBy(() -> Money.parse(new BigDecimal("1E+999999999"), EUR, Long.MAX_VALUE))
			.hasMessageContaining("must not exceed");
		assertThatThrownBy(() -> Money.parse(new BigDecimal("1E+20000000"), EUR, Long.MAX_VALUE))
			.hasMessageContaining("must not exceed");
		assertThatThrownBy(() -> Money.parse(new BigDecimal("1E-999999999"), EUR, Long.MAX_VALUE))
			.hasMessageContaining("decimals");
		assertThatThrownBy(() -> Money.read("1".repeat(5001))).hasMessageContaining("too long");
		assertThatThrownBy(() -> Money.read("1e")).hasMessageContaining("decimal number");
		assertThat(Money.read(" 12.50 ")).isEqualByComparingTo("12.5");
		assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1_000);
	}
}
