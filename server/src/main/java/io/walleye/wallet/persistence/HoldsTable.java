package io.walleye.wallet.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * The {@code holds} projection: one row per accepted hold with its status and captured amount, updated in the
 * transaction of each operation that changes it (the money itself is in the postings).
 */
@Repository
public class HoldsTable {

	/** A hold as stored, with its customer wallet's token. */
	public record HoldRow(UUID id, UUID businessId, UUID walletId, String walletToken, UUID businessWalletId,
			String status, long amount, long captured, Currency currency, String invoice, @Nullable String description,
			Instant createdAt, Instant expiresAt, Instant updatedAt) {

		/** What is still reserved: nothing once the hold is no longer pending. */
		public long remaining() {
			return status.equals("pending") ? amount - captured : 0;
		}
	}

	/** An accepted capture of a hold. */
	public record CaptureRow(UUID holdId, UUID id, long amount, Instant createdAt) {
	}

	/** Pending holds: how many (all currencies) and how much they reserve in minor units of one currency. */
	public record PendingTotals(long count, long remaining) {
	}

	private static final String SELECT = """
			select h.id, h.business_id, h.wallet_id, w.token as wallet_token, h.business_wallet_id, h.status, h.amount,
			       h.captured, h.currency, h.invoice, h.description, h.created_at, h.expires_at, h.updated_at
			  from holds h join wallets w on w.id = h.wallet_id
			""";

	private final JdbcClient jdbc;

	HoldsTable(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Writes holds as they now are — new ones inserted, changed ones updated — in one statement, the rows passed as
	 * one array per column (at most one row per hold).
	 */
	public void write(Collection<HoldRow> rows) {
		if (rows.isEmpty()) {
			return;
		}
		ArrayColumns columns = new ArrayColumns(13);
		rows.forEach(h -> columns.add(h.id(), h.businessId(), h.walletId(), h.businessWalletId(), h.status(),
				h.amount(), h.captured(), h.currency().getCurrencyCode(), h.invoice(), h.description(), h.createdAt(),
				h.expiresAt(), h.updatedAt()));
		jdbc.sql("""
				insert into holds (id, business_id, wallet_id, business_wallet_id, status, amount, captured, currency,
				                   invoice, description, created_at, expires_at, updated_at)
				select * from unnest(:h0::uuid[], :h1::uuid[], :h2::uuid[], :h3::uuid[], :h4::text[], :h5::bigint[],
				                     :h6::bigint[], :h7::text[], :h8::text[], :h9::text[], :h10::timestamptz[],
				                     :h11::timestamptz[], :h12::timestamptz[])
				on conflict (id) do update
				   set status = excluded.status, captured = excluded.captured, updated_at = excluded.updated_at
				""").params(columns.params("h")).update();
	}

	public Optional<HoldRow> find(UUID id) {
		return jdbc.sql(SELECT + " where h.id = :id").param("id", id).query(HoldsTable::row).optional();
	}

	/**
	 * Locks the hold for this transaction. Taken before its wallets' locks, by every command that changes a hold, so
	 * captures, voids and the sweeper queue on the hold instead of deadlocking on its wallets.
	 */
	public Optional<HoldRow> lock(UUID id) {
		return jdbc.sql(SELECT + " where h.id = :id for update of h").param("id", id).query(HoldsTable::row).optional();
	}

	/**
	 * Locks these holds in one statement in id order (a batch of captures and voids); missing ones are left out.
	 */
	public List<HoldRow> lockAll(Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return jdbc.sql(SELECT + " where h.id = any (:ids::uuid[]) order by h.id for update of h")
			.param("ids", new SqlArrayValue("text", ids.stream().map(UUID::toString).toArray()))
			.query(HoldsTable::row)
			.list();
	}

	/**
	 * Locks up to {@code limit} pending holds whose deadline has passed, oldest deadline first, skipping any a
	 * capture or void holds right now (that command decides it). Served by {@code holds_due}.
	 */
	public List<HoldRow> lockDue(Instant now, int limit) {
		return jdbc.sql(SELECT + """
				 where h.status = 'pending' and h.expires_at <= :now
				 order by h.expires_at limit :limit for update of h skip locked
				""").param("now", Timestamp.from(now)).param("limit", limit).query(HoldsTable::row).list();
	}

	/**
	 * A page of a business's holds, newest first, optionally of one status and one customer wallet, after the keyset
	 * position when given. Served by {@code holds_business} (or {@code holds_wallet} with a wallet).
	 */
	public List<HoldRow> page(@Nullable UUID businessId, @Nullable String status, @Nullable UUID walletId,
			@Nullable Instant afterCreatedAt, @Nullable UUID afterId, int limit) {
		StringBuilder sql = new StringBuilder(SELECT).append(" where true");
		if (businessId != null) {
			sql.append(" and h.business_id = :business");
		}
		if (walletId != null) {
			sql.append(" and h.wallet_id = :wallet");
		}
		if (status != null) {
			sql.append(" and h.status = :status");
		}
		boolean after = afterCreatedAt != null && afterId != null;
		if (after) {
			sql.append(" and (h.created_at, h.id) < (:afterAt, :afterId)");
		}
		sql.append(" order by h.created_at desc, h.id desc limit :limit");
		return jdbc.sql(sql.toString())
			.param("business", businessId)
			.param("wallet", walletId)
			.param("status", status)
			.param("afterAt", after ? Timestamp.from(afterCreatedAt) : null)
			.param("afterId", afterId)
			.param("limit", limit)
			.query(HoldsTable::row)
			.list();
	}

	/** The accepted captures of these holds, oldest first. Served by {@code operations_hold}. */
	public List<CaptureRow> captures(Collection<UUID> holdIds) {
		if (holdIds.isEmpty()) {
			return List.of();
		}
		return jdbc.sql("""
				select hold_id, id, amount, created_at from operations
				 where hold_id in (:holds) and type = 'capture' and status = 'accepted'
				 order by created_at, id
				""")
			.param("holds", holdIds)
			.query((rs, n) -> new CaptureRow(rs.getObject("hold_id", UUID.class), rs.getObject("id", UUID.class),
					rs.getLong("amount"), rs.getTimestamp("created_at").toInstant()))
			.list();
	}

	/** Pending holds, for the overview. Served by the partial index {@code holds_due}. */
	public PendingTotals pending(Currency currency) {
		return jdbc.sql("""
				select count(*) as n, coalesce(sum(amount - captured) filter (where currency = :currency), 0) as remaining
				  from holds where status = 'pending'
				""")
			.param("currency", currency.getCurrencyCode())
			.query((rs, n) -> new PendingTotals(rs.getLong("n"), rs.getLong("remaining")))
			.single();
	}

	private static HoldRow row(ResultSet rs, int n) throws SQLException {
		return new HoldRow(rs.getObject("id", UUID.class), rs.getObject("business_id", UUID.class),
				rs.getObject("wallet_id", UUID.class), rs.getString("wallet_token"),
				rs.getObject("business_wallet_id", UUID.class), rs.getString("status"), rs.getLong("amount"),
				rs.getLong("captured"), Currency.getInstance(rs.getString("currency")), rs.getString("invoice"),
				rs.getString("description"), rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("expires_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}
}
