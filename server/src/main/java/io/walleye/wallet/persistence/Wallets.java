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

/** Wallets and their balance projection. */
@Repository
public class Wallets {

	private static final String COLUMNS = "id, token, owner_type, owner_id, currency, balance, held, created_at, updated_at";

	private final JdbcClient jdbc;

	Wallets(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** False when the owner is a business that already has a wallet. */
	public boolean insert(WalletRow wallet) {
		return jdbc.sql("""
				insert into wallets (id, token, owner_type, owner_id, currency, balance, created_at, updated_at)
				values (:id, :token, :ownerType, :ownerId, :currency, 0, :now, :now)
				on conflict do nothing
				""")
			.param("id", wallet.id())
			.param("token", wallet.token())
			.param("ownerType", wallet.ownerType())
			.param("ownerId", wallet.ownerId())
			.param("currency", wallet.currency().getCurrencyCode())
			.param("now", Timestamp.from(wallet.createdAt()))
			.update() == 1;
	}

	public Optional<WalletRow> findByToken(String token) {
		return jdbc.sql("select " + COLUMNS + " from wallets where token = :token")
			.param("token", token)
			.query(Wallets::row)
			.optional();
	}

	public Optional<WalletRow> findById(UUID id) {
		return jdbc.sql("select " + COLUMNS + " from wallets where id = :id").param("id", id).query(Wallets::row).optional();
	}

	public List<WalletRow> findByOwner(UUID ownerId) {
		return jdbc.sql("select " + COLUMNS + " from wallets where owner_id = :owner order by created_at, id")
			.param("owner", ownerId)
			.query(Wallets::row)
			.list();
	}

	/**
	 * A page of an owner's wallets, oldest first, after the keyset position when given. Served by
	 * {@code wallets_owner_keyset (owner_id, created_at, id)}.
	 */
	public List<WalletRow> pageByOwner(UUID ownerId, @Nullable Instant afterCreatedAt, @Nullable UUID afterId,
			int limit) {
		boolean after = afterCreatedAt != null && afterId != null;
		return jdbc.sql("select " + COLUMNS + " from wallets where owner_id = :owner"
				+ (after ? " and (created_at, id) > (:afterAt, :afterId)" : "") + " order by created_at, id limit :limit")
			.param("owner", ownerId)
			.param("afterAt", after ? Timestamp.from(afterCreatedAt) : null)
			.param("afterId", afterId)
			.param("limit", limit)
			.query(Wallets::row)
			.list();
	}

	/**
	 * Locks the wallets for this transaction, always in id order, so two operations touching the same two wallets
	 * from opposite sides queue instead of deadlocking. Returns them with their current balances.
	 */
	public List<WalletRow> lockInOrder(Collection<UUID> ids) {
		return jdbc.sql("select " + COLUMNS + " from wallets where id in (:ids) order by id for update")
			.param("ids", ids)
			.query(Wallets::row)
			.list();
	}

	/** A locked wallet with its owner's name (for the counterparty of the operation about to be written). */
	public record Locked(WalletRow wallet, String ownerName) {
	}

	private static final String LOCK_WITH_OWNER = """
			select w.id, w.token, w.owner_type, w.owner_id, w.currency, w.balance, w.held, w.created_at, w.updated_at,
			       coalesce(c.name, b.name, '') as owner_name
			  from wallets w
			  left join customers c on w.owner_type = 'customer' and c.id = w.owner_id
			  left join businesses b on w.owner_type = 'business' and b.id = w.owner_id
			""";

	/** Like {@link #lockInOrder}, with the owners' names. */
	public List<Locked> lockWithOwners(Collection<UUID> ids) {
		return jdbc.sql(LOCK_WITH_OWNER + " where w.id in (:ids) order by w.id for update of w")
			.param("ids", ids)
			.query((rs, n) -> new Locked(row(rs, n), rs.getString("owner_name")))
			.list();
	}

	/**
	 * Finds and locks, in one statement and in id order, the wallet with this token and the business's wallet: the
	 * two sides of a charge.
	 */
	public List<Locked> lockForCharge(String token, UUID businessId) {
		return jdbc.sql(LOCK_WITH_OWNER + """
				 where w.token = :token or (w.owner_id = :business and w.owner_type = 'business')
				 order by w.id for update of w
				""")
			.param("token", token)
			.param("business", businessId)
			.query((rs, n) -> new Locked(row(rs, n), rs.getString("owner_name")))
			.list();
	}

	/**
	 * Lets this transaction wait up to {@code wait} for row locks instead of the pool's {@code lock_timeout}: for one
	 * that locks many wallets and must queue behind others doing the same (statement_timeout still bounds it).
	 */
	public void waitForLocks(java.time.Duration wait) {
		jdbc.sql("select set_config('lock_timeout', :timeout, true)")
			.param("timeout", wait.toMillis() + "ms")
			.query(String.class)
			.single();
	}

	/**
	 * Finds and locks, in one statement and in id order, the wallets with these tokens and these businesses' wallets:
	 * every side of a batch of charges, each row locked once, so batches and single operations queue, never deadlock.
	 * {@code ids} adds wallets known by id (those of the holds a batch changes).
	 */
	public List<Locked> lockForBatch(Collection<String> tokens, Collection<UUID> businessIds, Collection<UUID> ids) {
		return jdbc.sql(LOCK_WITH_OWNER + """
				 where w.token = any (:tokens::text[])
				    or (w.owner_type = 'business' and w.owner_id = any (:businesses::uuid[]))
				    or w.id = any (:ids::uuid[])
				 order by w.id for update of w
				""")
			.param("tokens", new SqlArrayValue("text", tokens.toArray()))
			.param("ids", new SqlArrayValue("text", ids.stream().map(UUID::toString).toArray()))
			.param("businesses", new SqlArrayValue("text", businessIds.stream().map(UUID::toString).toArray()))
			.query((rs, n) -> new Locked(row(rs, n), rs.getString("owner_name")))
			.list();
	}

	public void updateBalance(UUID id, long balance, Instant now) {
		jdbc.sql("update wallets set balance = :balance, updated_at = :now where id = :id")
			.param("id", id)
			.param("balance", balance)
			.param("now", Timestamp.from(now))
			.update();
	}

	public long count() {
		return jdbc.sql("select count(*) from wallets").query(Long.class).single();
	}

	/** Newest first, optionally only one owner kind. */
	public List<WalletRow> latest(int limit) {
		return jdbc.sql("select " + COLUMNS + " from wallets order by created_at desc, id desc limit :limit")
			.param("limit", limit)
			.query(Wallets::row)
			.list();
	}

	static WalletRow row(ResultSet rs, int n) throws SQLException {
		return new WalletRow(rs.getObject("id", UUID.class), rs.getString("token"), rs.getString("owner_type"),
				rs.getObject("owner_id", UUID.class), Currency.getInstance(rs.getString("currency")),
				rs.getLong("balance"), rs.getLong("held"), rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("updated_at").toInstant());
	}
}
