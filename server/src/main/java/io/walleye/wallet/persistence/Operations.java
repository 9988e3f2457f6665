package io.walleye.wallet.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

import io.walleye.wallet.Counterparty;
import io.walleye.wallet.HistoryFilter;
import io.walleye.wallet.OperationView;
import io.walleye.wallet.domain.Money;

/**
 * The append-only operation log, its double-entry postings and each wallet's history entries. Nothing here updates or
 * deletes: the database refuses it (triggers in V2_1).
 */
@Repository
public class Operations {

	/** One operation as stored. */
	public record NewOperation(UUID id, String type, String status, @Nullable String reason, long amount,
			Currency currency, @Nullable UUID debitWalletId, @Nullable UUID creditWalletId, @Nullable UUID businessId,
			@Nullable String invoice, @Nullable String description, @Nullable UUID chargeId, Instant createdAt,
			@Nullable UUID holdId) {
	}

	/** A wallet's view of an operation, with its balance and held amount after it. */
	public record Entry(UUID walletId, String direction, long amount, long balanceAfter, long heldAfter) {
	}

	/** A double-entry leg: a wallet ({@code account} "wallet") or a system account. */
	public record Posting(String account, @Nullable UUID walletId, long amount) {
	}

	/** The fields of a stored charge a refund needs. */
	public record ChargeRow(UUID id, String status, long amount, Currency currency, UUID debitWalletId,
			UUID creditWalletId, UUID businessId) {
	}

	/** A wallet's balance and held amount at a point of its history. */
	public record Position(long balance, long held) {

		public static final Position ZERO = new Position(0, 0);
	}

	/** One history row: the view and the keyset position it sits at. */
	public record HistoryRow(OperationView view, Instant createdAt, UUID id) {
	}

	private static final String VIEW = """
			select o.id, o.type, o.status, o.reason, o.amount, o.currency, w.token as wallet_token, e.direction,
			       e.balance_after, e.held_after, o.invoice, o.description, o.charge_id, e.created_at,
			       case when o.type = 'hold' and o.status = 'accepted' then o.id else o.hold_id end as hold_id,
			       w.owner_id as wallet_owner_id, e.wallet_id as entry_wallet_id,
			       cw.token as cp_token, cw.owner_type as cp_owner_type, coalesce(cc.name, cb.name) as cp_name,
			       case when o.type in ('charge', 'capture') and o.status = 'accepted' then
			           (select coalesce(sum(r.amount), 0) from operations r
			             where r.charge_id = o.id and r.status = 'accepted') end as refunded
			  from wallet_entries e
			  join operations o on o.id = e.operation_id
			  join wallets w on w.id = e.wallet_id
			  left join wallets cw
			         on cw.id = case when e.direction = 'credit' then o.debit_wallet_id else o.credit_wallet_id end
			  left join customers cc on cw.owner_type = 'customer' and cc.id = cw.owner_id
			  left join businesses cb on cw.owner_type = 'business' and cb.id = cw.owner_id
			""";

	private final JdbcClient jdbc;

	Operations(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A wallet's new balance and held amount, written with the operation that changed them. */
	public record BalanceUpdate(UUID walletId, long balance, long held) {
	}

	/**
	 * Appends an operation with its history entries and postings, and writes the new balances, in one statement
	 * (data-modifying CTEs: one round trip per operation). Returns false, writing nothing, when the operation collides
	 * with a unique index: an accepted charge of an invoice that already has one.
	 */
	public boolean append(NewOperation operation, List<Entry> entries, List<Posting> postings,
			List<BalanceUpdate> balances) {
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("id", operation.id());
		params.put("type", operation.type());
		params.put("status", operation.status());
		params.put("reason", operation.reason());
		params.put("amount", operation.amount());
		params.put("currency", operation.currency().getCurrencyCode());
		params.put("debit", operation.debitWalletId());
		params.put("credit", operation.creditWalletId());
		params.put("business", operation.businessId());
		params.put("invoice", operation.invoice());
		params.put("description", operation.description());
		params.put("charge", operation.chargeId());
		params.put("createdAt", Timestamp.from(operation.createdAt()));
		params.put("hold", operation.holdId());
		StringBuilder sql = new StringBuilder("""
				with op as (
				  insert into operations (id, type, status, reason, amount, currency, debit_wallet_id, credit_wallet_id,
				                          business_id, invoice, description, charge_id, created_at, hold_id)
				  values (:id, :type, :status, :reason, :amount, :currency, :debit::uuid, :credit::uuid,
				          :business::uuid, :invoice, :description, :charge::uuid, :createdAt, :hold::uuid)
				  on conflict do nothing
				  returning id
				)""");
		List<String> rows = new ArrayList<>();
		for (int i = 0; i < entries.size(); i++) {
			Entry entry = entries.get(i);
			rows.add("(:ew" + i + "::uuid, :ed" + i + ", :ea" + i + "::bigint, :eb" + i + "::bigint, :eh" + i
					+ "::bigint)");
			params.put("ew" + i, entry.walletId());
			params.put("ed" + i, entry.direction());
			params.put("ea" + i, entry.amount());
			params.put("eb" + i, entry.balanceAfter());
			params.put("eh" + i, entry.heldAfter());
		}
		sql.append("""
				, entries as (
				  insert into wallet_entries (wallet_id, operation_id, created_at, type, status, direction, amount,
				                              balance_after, held_after)
				  select v.wallet_id, op.id, :createdAt, :type, :status, v.direction, v.amount, v.balance_after,
				         v.held_after
				    from op, (values %s) as v (wallet_id, direction, amount, balance_after, held_after)
				)""".formatted(String.join(", ", rows)));
		if (!postings.isEmpty()) {
			rows.clear();
			for (int i = 0; i < postings.size(); i++) {
				Posting posting = postings.get(i);
				rows.add("(:pc" + i + ", :pw" + i + "::uuid, :pa" + i + "::bigint)");
				params.put("pc" + i, posting.account());
				params.put("pw" + i, posting.walletId());
				params.put("pa" + i, posting.amount());
			}
			sql.append("""
					, postings as (
					  insert into postings (operation_id, account, wallet_id, currency, amount, created_at)
					  select op.id, v.account, v.wallet_id, :currency, v.amount, :createdAt
					    from op, (values %s) as v (account, wallet_id, amount)
					)""".formatted(String.join(", ", rows)));
		}
		if (!balances.isEmpty()) {
			rows.clear();
			for (int i = 0; i < balances.size(); i++) {
				rows.add("(:bw" + i + "::uuid, :bb" + i + "::bigint, :bh" + i + "::bigint)");
				params.put("bw" + i, balances.get(i).walletId());
				params.put("bb" + i, balances.get(i).balance());
				params.put("bh" + i, balances.get(i).held());
			}
			sql.append("""
					, balances as (
					  update wallets w set balance = v.balance, held = v.held, updated_at = :createdAt
					    from op, (values %s) as v (id, balance, held)
					   where w.id = v.id
					)""".formatted(String.join(", ", rows)));
		}
		sql.append(" select count(*) from op");
		return jdbc.sql(sql.toString()).params(params).query(Long.class).single() == 1;
	}

	/** One operation of a batch with its entries and postings. */
	public record Write(NewOperation operation, List<Entry> entries, List<Posting> postings) {
	}

	public static String invoiceKey(@Nullable UUID businessId, @Nullable String invoice) {
		return businessId + "\u001f" + invoice;
	}

	/** Accepted charges and holds of these businesses among these invoices, keyed by {@link #invoiceKey}. */
	public Map<String, UUID> acceptedCharges(java.util.Collection<UUID> businessIds,
			java.util.Collection<String> invoices) {
		Map<String, UUID> found = new java.util.HashMap<>();
		jdbc.sql("""
				select business_id, invoice, id from operations
				 where business_id = any (:businesses::uuid[]) and invoice = any (:invoices::text[])
				   and type in ('charge', 'hold') and status = 'accepted'
				""")
			.param("businesses", new SqlArrayValue("text", businessIds.stream().map(UUID::toString).toArray()))
			.param("invoices", new SqlArrayValue("text", invoices.toArray()))
			.query((rs, n) -> found.put(invoiceKey(rs.getObject("business_id", UUID.class), rs.getString("invoice")),
					rs.getObject("id", UUID.class)))
			.list();
		return found;
	}

	/**
	 * Writes a batch of operations, their entries and postings and each touched wallet's final balance in one
	 * statement (data-modifying CTEs), the rows passed as one array per column: a batch of 1,000 charges is 30 bind
	 * parameters, not 18,000, and one round trip. A unique violation fails the whole statement.
	 */
	public void appendAll(List<Write> writes, List<BalanceUpdate> balances, Instant now) {
		if (writes.isEmpty()) {
			return;
		}
		ArrayColumns ops = new ArrayColumns(14);
		ArrayColumns entries = new ArrayColumns(9);
		ArrayColumns postings = new ArrayColumns(6);
		for (Write write : writes) {
			NewOperation o = write.operation();
			String at = o.createdAt().toString();
			String currency = o.currency().getCurrencyCode();
			ops.add(o.id(), o.type(), o.status(), o.reason(), o.amount(), currency, o.debitWalletId(),
					o.creditWalletId(), o.businessId(), o.invoice(), o.description(), o.chargeId(), at, o.holdId());
			for (Entry e : write.entries()) {
				entries.add(e.walletId(), o.id(), at, o.type(), o.status(), e.direction(), e.amount(),
						e.balanceAfter(), e.heldAfter());
			}
			for (Posting p : write.postings()) {
				postings.add(o.id(), p.account(), p.walletId(), currency, p.amount(), at);
			}
		}
		ArrayColumns wallets = new ArrayColumns(3);
		balances.forEach(b -> wallets.add(b.walletId(), b.balance(), b.held()));
		jdbc.sql("""
				with ops as (
				  insert into operations (id, type, status, reason, amount, currency, debit_wallet_id, credit_wallet_id,
				                          business_id, invoice, description, charge_id, created_at, hold_id)
				  select * from unnest(:o0::uuid[], :o1::text[], :o2::text[], :o3::text[], :o4::bigint[], :o5::text[],
				                       :o6::uuid[], :o7::uuid[], :o8::uuid[], :o9::text[], :o10::text[], :o11::uuid[],
				                       :o12::timestamptz[], :o13::uuid[])
				), entries as (
				  insert into wallet_entries (wallet_id, operation_id, created_at, type, status, direction, amount,
				                              balance_after, held_after)
				  select * from unnest(:e0::uuid[], :e1::uuid[], :e2::timestamptz[], :e3::text[], :e4::text[],
				                       :e5::text[], :e6::bigint[], :e7::bigint[], :e8::bigint[])
				), postings as (
				  insert into postings (operation_id, account, wallet_id, currency, amount, created_at)
				  select * from unnest(:p0::uuid[], :p1::text[], :p2::uuid[], :p3::text[], :p4::bigint[],
				                       :p5::timestamptz[])
				)
				update wallets w set balance = v.balance, held = v.held, updated_at = :now
				  from unnest(:w0::uuid[], :w1::bigint[], :w2::bigint[]) as v (id, balance, held)
				 where w.id = v.id
				""")
			.params(ops.params("o"))
			.params(entries.params("e"))
			.params(postings.params("p"))
			.params(wallets.params("w"))
			.param("now", Timestamp.from(now))
			.update();
	}

	/** The accepted charge or hold of a business for an invoice, if any: an invoice is used once. */
	public Optional<UUID> acceptedCharge(UUID businessId, String invoice) {
		return jdbc.sql("""
				select id from operations
				 where business_id = :business and invoice = :invoice and type in ('charge', 'hold')
				   and status = 'accepted'
				""")
			.param("business", businessId)
			.param("invoice", invoice)
			.query(UUID.class)
			.optional();
	}

	public Optional<ChargeRow> findCharge(UUID id) {
		return jdbc.sql("""
				select id, status, amount, currency, debit_wallet_id, credit_wallet_id, business_id
				  from operations where id = :id and type in ('charge', 'capture')
				""")
			.param("id", id)
			.query((rs, n) -> new ChargeRow(rs.getObject("id", UUID.class), rs.getString("status"),
					rs.getLong("amount"), Currency.getInstance(rs.getString("currency")),
					rs.getObject("debit_wallet_id", UUID.class), rs.getObject("credit_wallet_id", UUID.class),
					rs.getObject("business_id", UUID.class)))
			.optional();
	}

	public long refundedAmount(UUID chargeId) {
		return jdbc.sql("""
				select coalesce(sum(amount), 0) from operations where charge_id = :charge and status = 'accepted'
				""").param("charge", chargeId).query(Long.class).single();
	}

	public OperationView view(UUID walletId, UUID operationId) {
		return jdbc.sql(VIEW + " where e.wallet_id = :wallet and e.operation_id = :operation")
			.param("wallet", walletId)
			.param("operation", operationId)
			.query((rs, n) -> view(rs))
			.single();
	}

	/** An operation just posted, as the history of one of its wallets shows it, with that wallet's owner. */
	public record Posted(UUID ownerId, OperationView view) {
	}

	/**
	 * The history items of these (wallet, operation) entries, in the order given; read in the transaction that
	 * wrote them, by the primary key of {@code wallet_entries}.
	 */
	public List<Posted> posted(List<Map.Entry<UUID, UUID>> walletOperations) {
		if (walletOperations.isEmpty()) {
			return List.of();
		}
		Map<String, Object> params = new LinkedHashMap<>();
		List<String> pairs = new ArrayList<>(walletOperations.size());
		for (int i = 0; i < walletOperations.size(); i++) {
			pairs.add("(:w%1$d::uuid, :o%1$d::uuid)".formatted(i));
			params.put("w" + i, walletOperations.get(i).getKey());
			params.put("o" + i, walletOperations.get(i).getValue());
		}
		Map<Map.Entry<UUID, UUID>, Posted> found = new java.util.HashMap<>();
		jdbc.sql(VIEW + " where (e.wallet_id, e.operation_id) in (" + String.join(", ", pairs) + ")")
			.params(params)
			.query((rs, n) -> found.put(Map.entry(rs.getObject("entry_wallet_id", UUID.class), rs.getObject("id", UUID.class)),
					new Posted(rs.getObject("wallet_owner_id", UUID.class), view(rs))))
			.list();
		return walletOperations.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
	}

	/**
	 * A page of a wallet's history, newest first, after the keyset position when given. Served by
	 * {@code wallet_entries_history (wallet_id, created_at desc, operation_id desc)}.
	 */
	public List<HistoryRow> history(UUID walletId, HistoryFilter filter, @Nullable Instant afterCreatedAt,
			@Nullable UUID afterId, int limit) {
		StringBuilder sql = new StringBuilder(VIEW).append(" where e.wallet_id = :wallet");
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("wallet", walletId);
		if (!filter.types().isEmpty()) {
			sql.append(" and e.type in (:types)");
			params.put("types", List.copyOf(filter.types()));
		}
		if (!filter.statuses().isEmpty()) {
			sql.append(" and e.status in (:statuses)");
			params.put("statuses", List.copyOf(filter.statuses()));
		}
		if (filter.from() != null) {
			sql.append(" and e.created_at >= :from");
			params.put("from", Timestamp.from(filter.from()));
		}
		if (filter.to() != null) {
			sql.append(" and e.created_at < :to");
			params.put("to", Timestamp.from(filter.to()));
		}
		if (afterCreatedAt != null && afterId != null) {
			sql.append(" and (e.created_at, e.operation_id) < (:afterAt, :afterId)");
			params.put("afterAt", Timestamp.from(afterCreatedAt));
			params.put("afterId", afterId);
		}
		sql.append(" order by e.created_at desc, e.operation_id desc limit :limit");
		params.put("limit", limit);
		return jdbc.sql(sql.toString())
			.params(params)
			.query((rs, n) -> new HistoryRow(view(rs), rs.getTimestamp("created_at").toInstant(),
					rs.getObject("id", UUID.class)))
			.list();
	}

	/** The balance and held amount after the last operation at or before {@code at} (zero before the first). */
	public Position positionAt(UUID walletId, Instant at, boolean inclusive) {
		return jdbc.sql("""
				select balance_after, held_after from wallet_entries
				 where wallet_id = :wallet and created_at %s :at
				 order by created_at desc, operation_id desc limit 1
				""".formatted(inclusive ? "<=" : "<"))
			.param("wallet", walletId)
			.param("at", Timestamp.from(at))
			.query((rs, n) -> new Position(rs.getLong("balance_after"), rs.getLong("held_after")))
			.optional()
			.orElse(Position.ZERO);
	}

	/** Count and amount per type and status over [from, to). */
	public List<Object[]> totals(UUID walletId, @Nullable Instant from, Instant to) {
		return jdbc.sql("""
				select type, status, count(*) as n, coalesce(sum(amount), 0) as total from wallet_entries
				 where wallet_id = :wallet and created_at >= :from and created_at < :to
				 group by type, status order by type, status
				""")
			.param("wallet", walletId)
			.param("from", Timestamp.from(from == null ? Instant.EPOCH : from))
			.param("to", Timestamp.from(to))
			.query((rs, n) -> new Object[] { rs.getString("type"), rs.getString("status"), rs.getLong("n"),
					rs.getLong("total") })
			.list();
	}

	/** Balance after each of the wallet's last {@code limit} operations, oldest first (for a chart). */
	public List<Map.Entry<Instant, Long>> balanceSeries(UUID walletId, int limit) {
		List<Map.Entry<Instant, Long>> points = new ArrayList<>(jdbc.sql("""
				select created_at, balance_after from wallet_entries where wallet_id = :wallet
				 order by created_at desc, operation_id desc limit :limit
				""")
			.param("wallet", walletId)
			.param("limit", limit)
			.query((rs, n) -> Map.entry(rs.getTimestamp("created_at").toInstant(), rs.getLong("balance_after")))
			.list());
		java.util.Collections.reverse(points);
		return points;
	}

	private static OperationView view(ResultSet rs) throws SQLException {
		Currency currency = Currency.getInstance(rs.getString("currency"));
		String cpToken = rs.getString("cp_token");
		Counterparty counterparty = cpToken == null ? Counterparty.EXTERNAL
				: new Counterparty("wallet", cpToken, rs.getString("cp_owner_type"), rs.getString("cp_name"));
		long refunded = rs.getLong("refunded");
		boolean hasRefunded = !rs.wasNull();
		return new OperationView(rs.getObject("id", UUID.class), rs.getString("type"), rs.getString("status"),
				rs.getString("reason"), Money.format(rs.getLong("amount"), currency), currency.getCurrencyCode(),
				rs.getString("wallet_token"), counterparty, rs.getString("direction"),
				Money.format(rs.getLong("balance_after"), currency), Money.format(rs.getLong("held_after"), currency),
				rs.getString("invoice"), rs.getString("description"),
				hasRefunded ? Money.format(refunded, currency) : null, rs.getObject("charge_id", UUID.class),
				rs.getObject("hold_id", UUID.class), rs.getTimestamp("created_at").toInstant());
	}
}
