package io.walleye.wallet.persistence;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.walleye.wallet.LedgerReport;

/** Recomputes the projections from the log; sums are numeric in PostgreSQL, so they cannot overflow here. */
@Repository
public class LedgerChecks {

	private final JdbcClient jdbc;

	LedgerChecks(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public long wallets() {
		return jdbc.sql("select count(*) from wallets").query(Long.class).single();
	}

	public long operations() {
		return jdbc.sql("select count(*) from operations").query(Long.class).single();
	}

	/** Wallets whose balance is not the fold of their postings or not the balance after their last entry. */
	public List<LedgerReport.Mismatch> mismatches() {
		return jdbc.sql("""
				select w.token, w.currency, w.balance, coalesce(p.total, 0) as postings_sum,
				       coalesce(last.balance_after, 0) as last_balance_after
				  from wallets w
				  left join (select wallet_id, sum(amount) as total from postings where wallet_id is not null
				              group by wallet_id) p on p.wallet_id = w.id
				  left join lateral (select e.balance_after from wallet_entries e where e.wallet_id = w.id
				                      order by e.created_at desc, e.operation_id desc limit 1) last on true
				 where w.balance <> coalesce(p.total, 0) or w.balance <> coalesce(last.balance_after, 0)
				 order by w.token
				 limit 1000
				""").query((rs, n) -> {
			Currency currency = Currency.getInstance(rs.getString("currency"));
			int digits = Math.max(0, currency.getDefaultFractionDigits());
			return new LedgerReport.Mismatch(rs.getString("token"), currency.getCurrencyCode(),
					BigDecimal.valueOf(rs.getLong("balance"), digits).toPlainString(),
					rs.getBigDecimal("postings_sum").movePointLeft(digits).toPlainString(),
					BigDecimal.valueOf(rs.getLong("last_balance_after"), digits).toPlainString());
		}).list();
	}

	/**
	 * Accepted operations whose legs do not sum to zero, or that have no legs at all. One grouped pass over the
	 * postings joined by hash (postings has no index on operation_id, and a per-operation subquery made this quadratic).
	 */
	public long unbalancedOperations() {
		return jdbc.sql("""
				select count(*) from operations o
				  left join (select operation_id, sum(amount) as total from postings group by operation_id) p
				         on p.operation_id = o.id
				 where o.status = 'accepted' and coalesce(p.total, 1) <> 0
				""").query(Long.class).single();
	}

	public Map<String, String> postingsSumByCurrency() {
		Map<String, String> sums = new LinkedHashMap<>();
		jdbc.sql("select currency, sum(amount) as total from postings group by currency order by currency")
			.query((rs, n) -> {
				Currency currency = Currency.getInstance(rs.getString("currency"));
				sums.put(currency.getCurrencyCode(), rs.getBigDecimal("total")
					.movePointLeft(Math.max(0, currency.getDefaultFractionDigits()))
					.toPlainString());
				return null;
			})
			.list();
		return sums;
	}
}
