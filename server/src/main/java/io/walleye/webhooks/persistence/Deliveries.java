package io.walleye.webhooks.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Deliveries of events to endpoints and their attempts. Workers claim due deliveries with {@code FOR UPDATE SKIP
 * LOCKED} and hold them by a lease (the due time moved to the lease's end), so any number of workers share them and
 * one that dies leaves its deliveries due again.
 */
@Repository
public class Deliveries {

	/** A delivery as listed. */
	public record Row(UUID id, UUID endpointId, UUID eventId, String eventType, String status, int attempts,
			@Nullable Instant nextAttemptAt, @Nullable Integer lastStatusCode, @Nullable String lastError,
			Instant createdAt, @Nullable Instant finishedAt) {
	}

	/** One attempt as recorded. */
	public record Attempt(UUID deliveryId, int attempt, Instant attemptedAt, @Nullable Integer statusCode,
			int durationMs, @Nullable String responseBody, @Nullable String error) {
	}

	/**
	 * A delivery a worker just claimed, with what sending needs. {@code attempt} is the number of this attempt;
	 * {@code interrupted} tells that the previous claim ended without a result (its worker died).
	 */
	public record Claimed(UUID id, UUID claim, int attempt, boolean interrupted, UUID endpointId, String url,
			boolean enabled, String secret, @Nullable String previousSecret, @Nullable Instant previousExpiresAt,
			UUID eventId, String body) {
	}

	private static final String COLUMNS = """
			d.id, d.endpoint_id, d.event_id, ev.type as event_type, d.status, d.attempts, d.next_attempt_at,
			d.last_status_code, d.last_error, d.created_at, d.finished_at
			""";

	private final JdbcClient jdbc;

	Deliveries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Claims up to {@code limit} due deliveries until {@code leaseEnd}, counting this attempt. Served by
	 * {@code webhook_deliveries_due}.
	 */
	public List<Claimed> claim(Instant now, Instant leaseEnd, int limit) {
		UUID claim = UUID.randomUUID();
		return jdbc.sql("""
				with due as (
				  select id, claim as previous from webhook_deliveries
				   where status = 'pending' and next_attempt_at <= :now
				   order by next_attempt_at
				   limit :limit
				   for update skip locked
				)
				update webhook_deliveries d
				   set next_attempt_at = :leaseEnd, claim = :claim, attempts = d.attempts + 1
				  from due, webhook_endpoints e, webhook_events ev
				 where d.id = due.id and e.id = d.endpoint_id and ev.id = d.event_id
				returning d.id, d.attempts, due.previous, e.id as endpoint_id, e.url, e.enabled, e.secret,
				          e.previous_secret, e.previous_expires_at, ev.id as event_id, ev.body
				""")
			.param("now", Timestamp.from(now))
			.param("leaseEnd", Timestamp.from(leaseEnd))
			.param("claim", claim)
			.param("limit", limit)
			.query((rs, n) -> {
				Timestamp previousExpires = rs.getTimestamp("previous_expires_at");
				return new Claimed(rs.getObject("id", UUID.class), claim, rs.getInt("attempts"),
						rs.getObject("previous", UUID.class) != null, rs.getObject("endpoint_id", UUID.class),
						rs.getString("url"), rs.getBoolean("enabled"), rs.getString("secret"),
						rs.getString("previous_secret"), previousExpires == null ? null : previousExpires.toInstant(),
						rs.getObject("event_id", UUID.class), rs.getString("body"));
			})
			.list();
	}

	public void recordAttempt(Attempt attempt) {
		jdbc.sql("""
				insert into webhook_attempts (delivery_id, attempt, attempted_at, status_code, duration_ms,
				                              response_body, error)
				values (:delivery, :attempt, :at, :status, :duration, :body, :error)
				on conflict do nothing
				""")
			.param("delivery", attempt.deliveryId())
			.param("attempt", attempt.attempt())
			.param("at", Timestamp.from(attempt.attemptedAt()))
			.param("status", attempt.statusCode())
			.param("duration", attempt.durationMs())
			.param("body", attempt.responseBody())
			.param("error", attempt.error())
			.update();
	}

	/**
	 * Ends a claim: {@code status} pending (with {@code nextAttemptAt}), delivered or failed. False when the claim was
	 * lost meanwhile (its lease ran out and another worker took the delivery): the result is then not written.
	 */
	public boolean finish(UUID id, UUID claim, String status, @Nullable Instant nextAttemptAt,
			@Nullable Integer statusCode, @Nullable String error, Instant now) {
		return jdbc.sql("""
				update webhook_deliveries
				   set status = :status, claim = null, next_attempt_at = coalesce(cast(:next as timestamptz), next_attempt_at),
				       last_status_code = :code, last_error = :error,
				       finished_at = case when cast(:status as text) = 'pending' then null else cast(:now as timestamptz) end
				 where id = :id and claim = :claim
				""")
			.param("id", id)
			.param("claim", claim)
			.param("status", status)
			.param("next", nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt))
			.param("code", statusCode)
			.param("error", error)
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	public Optional<Row> find(UUID id) {
		return jdbc.sql("select " + COLUMNS
				+ " from webhook_deliveries d join webhook_events ev on ev.id = d.event_id where d.id = :id")
			.param("id", id)
			.query(Deliveries::row)
			.optional();
	}

	/**
	 * Deliveries newest first after a keyset position, of one endpoint ({@code endpointId} given, served by
	 * {@code webhook_deliveries_endpoint}) or of all (served by {@code webhook_deliveries_created}).
	 */
	public List<Row> page(@Nullable UUID endpointId, @Nullable String status, @Nullable Instant beforeAt,
			@Nullable UUID beforeId, int limit) {
		StringBuilder sql = new StringBuilder("select " + COLUMNS
				+ " from webhook_deliveries d join webhook_events ev on ev.id = d.event_id where true");
		Map<String, Object> params = new LinkedHashMap<>();
		if (endpointId != null) {
			sql.append(" and d.endpoint_id = :endpoint");
			params.put("endpoint", endpointId);
		}
		if (status != null) {
			sql.append(" and d.status = :status");
			params.put("status", status);
		}
		if (beforeAt != null && beforeId != null) {
			sql.append(" and (d.created_at, d.id) < (:beforeAt, :beforeId)");
			params.put("beforeAt", Timestamp.from(beforeAt));
			params.put("beforeId", beforeId);
		}
		sql.append(" order by d.created_at desc, d.id desc limit :limit");
		params.put("limit", limit);
		return jdbc.sql(sql.toString()).params(params).query(Deliveries::row).list();
	}

	/** The attempts of these deliveries, by delivery, in order. */
	public Map<UUID, List<Attempt>> attempts(Collection<UUID> deliveryIds) {
		Map<UUID, List<Attempt>> found = new HashMap<>();
		if (deliveryIds.isEmpty()) {
			return found;
		}
		jdbc.sql("""
				select delivery_id, attempt, attempted_at, status_code, duration_ms, response_body, error
				  from webhook_attempts where delivery_id in (:ids) order by delivery_id, attempt
				""")
			.param("ids", List.copyOf(deliveryIds))
			.query((rs, n) -> {
				int status = rs.getInt("status_code");
				Integer code = rs.wasNull() ? null : status;
				return new Attempt(rs.getObject("delivery_id", UUID.class), rs.getInt("attempt"),
						rs.getTimestamp("attempted_at").toInstant(), code, rs.getInt("duration_ms"),
						rs.getString("response_body"), rs.getString("error"));
			})
			.list()
			.forEach(attempt -> found.computeIfAbsent(attempt.deliveryId(), id -> new ArrayList<>()).add(attempt));
		return found;
	}

	/** A new delivery of an event already delivered or failed, due now. */
	public UUID redeliver(UUID endpointId, UUID eventId, Instant now) {
		UUID id = UUID.randomUUID();
		jdbc.sql("""
				insert into webhook_deliveries (id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at)
				values (:id, :endpoint, :event, 'pending', 0, :now, :now)
				""").param("id", id).param("endpoint", endpointId).param("event", eventId)
			.param("now", Timestamp.from(now))
			.update();
		return id;
	}

	/** Deliveries per status, for the console. */
	public Map<String, Long> countsByStatus() {
		Map<String, Long> counts = new LinkedHashMap<>();
		jdbc.sql("select status, count(*) as n from webhook_deliveries group by status order by status")
			.query((rs, n) -> counts.put(rs.getString("status"), rs.getLong("n")))
			.list();
		return counts;
	}

	private static Row row(ResultSet rs, int n) throws SQLException {
		int code = rs.getInt("last_status_code");
		Integer lastCode = rs.wasNull() ? null : code;
		Timestamp finished = rs.getTimestamp("finished_at");
		String status = rs.getString("status");
		return new Row(rs.getObject("id", UUID.class), rs.getObject("endpoint_id", UUID.class),
				rs.getObject("event_id", UUID.class), rs.getString("event_type"), status, rs.getInt("attempts"),
				status.equals("pending") ? rs.getTimestamp("next_attempt_at").toInstant() : null, lastCode,
				rs.getString("last_error"), rs.getTimestamp("created_at").toInstant(),
				finished == null ? null : finished.toInstant());
	}
}
