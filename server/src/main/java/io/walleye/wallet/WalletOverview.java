package io.walleye.wallet;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.walleye.platform.OverviewContributor;
import io.walleye.wallet.persistence.HoldsTable;
import io.walleye.wallet.persistence.OverviewQueries;

/**
 * The wallet section of the operators' overview: charges accepted vs rejected, deposits and volume, totals, and the
 * pending holds with the amount they hold.
 */
@Component
class WalletOverview implements OverviewContributor {

	private final OverviewQueries queries;

	private final HoldsTable holds;

	WalletOverview(OverviewQueries queries, HoldsTable holds) {
		this.queries = queries;
		this.holds = holds;
	}

	@Override
	public int order() {
		return 20;
	}

	@Override
	public Section overview(Window window) {
		OverviewQueries.PerMinute perMinute = queries.perMinute(window.from());
		Chart charges = new Chart("charges", "Charges per minute", "charges", Chart.Kind.STACKED_BAR,
				List.of(Series.perMinute("accepted", window, counts(perMinute, "charge/accepted")),
						Series.perMinute("rejected", window, counts(perMinute, "charge/rejected"))));
		Chart deposits = new Chart("deposits", "Deposits and withdrawals per minute", "operations", Chart.Kind.LINE,
				List.of(Series.perMinute("deposits", window, counts(perMinute, "deposit/accepted")),
						Series.perMinute("withdrawals", window, counts(perMinute, "withdrawal/accepted"))));
		Chart volume = new Chart("volume", "Volume per minute (EUR)", "EUR", Chart.Kind.LINE,
				List.of(Series.perMinute("deposited", window, volumes(perMinute, "deposit")),
						Series.perMinute("charged", window, volumes(perMinute, "charge"))));
		long accepted = sum(counts(perMinute, "charge/accepted"));
		long rejected = sum(counts(perMinute, "charge/rejected"));
		BigDecimal deposited = volumes(perMinute, "deposit").values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
		HoldsTable.PendingTotals pending = holds.pending(java.util.Currency.getInstance("EUR"));
		List<Total> totals = List.of(new Total("Wallets", format(queries.count("wallets")), null),
				new Total("Customers", format(queries.count("customers")), null),
				new Total("Businesses", format(queries.count("businesses")), null),
				new Total("Charges accepted", format(accepted), "last " + window.minutes() + " min"),
				new Total("Charges rejected", format(rejected), "last " + window.minutes() + " min"),
				new Total("Deposited (EUR)", deposited.setScale(2).toPlainString(),
						"last " + window.minutes() + " min"),
				new Total("Pending holds", format(pending.count()), "now"),
				new Total("Held (EUR)", BigDecimal.valueOf(pending.remaining(), 2).toPlainString(), "now"));
		return new Section("wallets", "Wallets", List.of(charges, deposits, volume), totals);
	}

	private static Map<Instant, Long> counts(OverviewQueries.PerMinute perMinute, String key) {
		return perMinute.counts().getOrDefault(key, Map.of());
	}

	private static Map<Instant, BigDecimal> volumes(OverviewQueries.PerMinute perMinute, String key) {
		return perMinute.volumes().getOrDefault(key, Map.of());
	}

	private static long sum(Map<Instant, Long> counts) {
		return counts.values().stream().mapToLong(Long::longValue).sum();
	}

	private static String format(long value) {
		return String.format(java.util.Locale.ROOT, "%,d", value);
	}
}
