package io.walleye.webhooks.persistence;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/** Webhook endpoints: where an owner's events are sent, with the secrets that sign them. */
@Repository
public class Endpoints {

	/** An endpoint as stored. {@code ownerType} is customer, business or operator. */
	public record Row(UUID id, String ownerType, UUID ownerId, String url, @Nullable String description,
			List<String> eventTypes, boolean enabled, @Nullable String disabledReason, String secret,
			@Nullable String previousSecret, @Nullable Instant previousExpiresAt, int consecutiveFailures,
			Instant createdAt, Instant updatedAt) {
	}

	private static final String COLUMNS = """
			id, owner_type, owner_id, url, description, event_types, enabled, disabled_reason, secret, previous_secret,
			previous_expires_at, consecutive_failures, created_at, updated_at
			""";

	private final JdbcClient jdbc;

	Endpoints(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Inserts the endpoint unless its owner already has {@code max} (operators' endpoints count together); whether
	 * it was inserted. Must run in a transaction: concurrent creations by one owner take turns on a transaction-scoped
	 * advisory lock, taken in a statement of its own so that the count that follows sees the others' commits.
	 */
	public boolean insert(Row row, int max) {
		String owner = row.ownerType().equals("operator") ? "operator" : row.ownerId().toString();
		jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
			.param("key", "webhook_endpoints:" + owner)
			.query((rs, n) -> 1)
			.list();
		return jdbc.sql("""
				insert into webhook_endpoints (id, owner_type, owner_id, url, description, event_types, enabled,
				                               secret, created_at, updated_at)
				select :id, :ownerType, :ownerId, :url, :description, :types, true, :secret, :at, :at
				 where (select count(*) from webhook_endpoints
				         where case when :ownerType = 'operator' then owner_type = 'operator'
				                    else owner_id = :ownerId end) < :max
				""")
			.param("max", max)
			.param("id", row.id())
			.param("ownerType", row.ownerType())
			.param("ownerId", row.ownerId())
			.param("url", row.url())
			.param("description", row.description())
			.param("types", row.eventTypes().toArray(String[]::new))
			.param("secret", row.secret())
			.param("at", Timestamp.from(row.createdAt()))
			.update() == 1;
	}

	public Optional<Row> find(UUID id) {
		return jdbc.sql("select " + COLUMNS + " from webhook_endpoints where id = :id")
			.param("id", id)
			.query(Endpoints::row)
			.optional();
	}

	/**
	 * A page of endpoints oldest first after a keyset position: an owner's ({@code ownerId} given), all operators'
	 * ({@code ownerType} operator) or every endpoint (both null).
	 */
	public List<Row> page(@Nullable String ownerType, @Nullable UUID ownerId, @Nullable Instant afterAt,
			@Nullable UUID afterId, int limit) {
		StringBuilder sql = new StringBuilder("select " + COLUMNS + " from webhook_endpoints where true");
		var params = new java.util.LinkedHashMap<String, Object>();
		if (ownerId != null) {
			sql.append(" and owner_id = :owner");
			params.put("owner", ownerId);
		}
		if (ownerType != null) {
			sql.append(" and owner_type = :type");
			params.put("type", ownerType);
		}
		if (afterAt != null && afterId != null) {
			sql.append(" and (created_at, id) > (:afterAt, :afterId)");
			params.put("afterAt", Timestamp.from(afterAt));
			params.put("afterId", afterId);
		}
		sql.append(" order by created_at, id limit :limit");
		params.put("limit", limit);
		return jdbc.sql(sql.toString()).params(params).query(Endpoints::row).list();
	}

	public void update(UUID id, String url, @Nullable String description, List<String> eventTypes, boolean enabled,
			@Nullable String disabledReason, Instant now) {
		jdbc.sql("""
				update webhook_endpoints
				   set url = :url, description = :description, event_types = :types, enabled = :enabled,
				       disabled_reason = :reason,
				       consecutive_failures = case when :enabled and not enabled then 0 else consecutive_failures end,
				       updated_at = :now
				 where id = :id
				""")
			.param("id", id)
			.param("url", url)
			.param("description", description)
			.param("types", eventTypes.toArray(String[]::new))
			.param("enabled", enabled)
			.param("reason", disabledReason)
			.param("now", Timestamp.from(now))
			.update();
	}

	public boolean delete(UUID id) {
		return jdbc.sql("delete from webhook_endpoints where id = :id").param("id", id).update() == 1;
	}

	/** The new secret signs from now on; the current one keeps signing until {@code previousUntil}. */
	public void rotate(UUID id, String secret, Instant previousUntil, Instant now) {
		jdbc.sql("""
				update webhook_endpoints
				   set previous_secret = secret, previous_expires_at = :until, secret = :secret, updated_at = :now
				 where id = :id
				""")
			.param("id", id)
			.param("secret", secret)
			.param("until", Timestamp.from(previousUntil))
			.param("now", Timestamp.from(now))
			.update();
	}

	/** Deliveries to these endpoints succeeded: their runs of failures end. */
	public void succeeded(Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return;
		}
		// only rows with failures to forget are touched (and locked): a busy endpoint's row is not a hot spot
		jdbc.sql("""
				update webhook_endpoints set consecutive_failures = 0
				 where id = any (cast(:ids as uuid[])) and consecutive_failures <> 0
				""").param("ids", new SqlArrayValue("uuid", ids.stream().sorted().toArray())).update();
	}

	/** A delivery failed for good: one more failure in a row, and the endpoint is disabled at {@code max}. */
	public void failed(UUID id, int max, Instant now) {
		jdbc.sql("""
				update webhook_endpoints
				   set consecutive_failures = consecutive_failures + 1,
				       enabled = enabled and consecutive_failures + 1 < :max,
				       disabled_reason = case when enabled and consecutive_failures + 1 >= :max
				                              then 'failed ' || (consecutive_failures + 1) || ' deliveries in a row'
				                              else disabled_reason end,
				       updated_at = :now
				 where id = :id
				""").param("id", id).param("max", max).param("now", Timestamp.from(now)).update();
	}

	/** The receiver answered 410 Gone: it wants no more. */
	public void gone(UUID id, Instant now) {
		jdbc.sql("""
				update webhook_endpoints set enabled = false, disabled_reason = 'the receiver answered 410 Gone',
				       updated_at = :now
				 where id = :id
				""").param("id", id).param("now", Timestamp.from(now)).update();
	}

	/** Counts for the console: every endpoint and the disabled ones. */
	public long[] counts() {
		return jdbc.sql("select count(*), count(*) filter (where not enabled) from webhook_endpoints")
			.query((rs, n) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single();
	}

	private static Row row(ResultSet rs, int n) throws SQLException {
		Array types = rs.getArray("event_types");
		Timestamp previousExpires = rs.getTimestamp("previous_expires_at");
		return new Row(rs.getObject("id", UUID.class), rs.getString("owner_type"), rs.getObject("owner_id", UUID.class),
				rs.getString("url"), rs.getString("description"), Arrays.asList((String[]) types.getArray()),
				rs.getBoolean("enabled"), rs.getString("disabled_reason"), rs.getString("secret"),
				rs.getString("previous_secret"), previousExpires == null ? null : previousExpires.toInstant(),
				rs.getInt("consecutive_failures"), rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("updated_at").toInstant());
	}
}
