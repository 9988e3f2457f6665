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

	/**
	 * Wallets whose balance is not the fold of their postings (their own legs and their holds sub-account's) or not
	 * the balance after their last entry, or whose held amount is not the fold of their holds legs, nor the held
	 * amount after their last entry, nor what their pending holds still reserve.
	 */
	public List<LedgerReport.Mismatch> mismatches() {
		return jdbc.sql("""
				select w.token, w.currency, w.balance, w.held, coalesce(p.total, 0) as postings_sum,
				       coalesce(p.held, 0) as held_postings_sum,
				       coalesce(last.balance_after, 0) as last_balance_after, coalesce(last.held_after, 0) as last_held_after
				  from wallets w
				  left join (select wallet_id, sum(amount) as total,
				                    coalesce(sum(amount) filter (where account = 'system:holds'), 0) as held
				               from postings where wallet_id is not null
				              group by wallet_id) p on p.wallet_id = w.id
				  left join (select wallet_id, sum(amount - captured) as remaining from holds where status = 'pending'
				              group by wallet_id) h on h.wallet_id = w.id
				  left join lateral (select e.balance_after, e.held_after from wallet_entries e where e.wallet_id = w.id
				                      order by e.created_at desc, e.operation_id desc limit 1) last on true
				 where w.balance <> coalesce(p.total, 0) or w.balance <> coalesce(last.balance_after, 0)
				    or w.held <> coalesce(p.held, 0) or w.held <> coalesce(last.held_after, 0)
				    or w.held <> coalesce(h.remaining, 0)
				 order by w.token
				 limit 1000
				""").query((rs, n) -> {
			Currency currency = Currency.getInstance(rs.getString("currency"));
			int digits = Math.max(0, currency.getDefaultFractionDigits());
			return new LedgerReport.Mismatch(rs.getString("token"), currency.getCurrencyCode(),
					BigDecimal.valueOf(rs.getLong("balance"), digits).toPlainString(),
					rs.getBigDecimal("postings_sum").movePointLeft(digits).toPlainString(),
					BigDecimal.valueOf(rs.getLong("last_balance_after"), digits).toPlainString(),
					BigDecimal.valueOf(rs.getLong("held"), digits).toPlainString(),
					rs.getBigDecimal("held_postings_sum").movePointLeft(digits).toPlainString(),
					BigDecimal.valueOf(rs.getLong("last_held_after"), digits).toPlainString());
		}).list();
	}

	public long holds() {
		return jdbc.sql("select count(*) from holds").query(Long.class).single();
	}

	/**
	 * Holds whose amount in the holds account (the fold of the holds legs of the hold's own operation and of its
	 * captures, voids and expiry) is not what the hold still reserves: its remaining amount while pending, zero after.
	 */
	public List<LedgerReport.HoldMismatch> holdMismatches() {
		return jdbc.sql("""
				select h.id, h.currency, h.status,
				       case when h.status = 'pending' then h.amount - h.captured else 0 end as remaining,
				       coalesce(p.total, 0) as held_postings_sum
				  from holds h
				  left join (select coalesce(o.hold_id, o.id) as hold_id, sum(p.amount) as total
				               from postings p join operations o on o.id = p.operation_id
				              where p.account = 'system:holds'
				              group by 1) p on p.hold_id = h.id
				 where coalesce(p.total, 0) <> case when h.status = 'pending' then h.amount - h.captured else 0 end
				 order by h.id
				 limit 1000
				""").query((rs, n) -> {
			Currency currency = Currency.getInstance(rs.getString("currency"));
			int digits = Math.max(0, currency.getDefaultFractionDigits());
			return new LedgerReport.HoldMismatch(rs.getObject("id", java.util.UUID.class), rs.getString("status"),
					currency.getCurrencyCode(), BigDecimal.valueOf(rs.getLong("remaining"), digits).toPlainString(),
					rs.getBigDecimal("held_postings_sum").movePointLeft(digits).toPlainString());
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
