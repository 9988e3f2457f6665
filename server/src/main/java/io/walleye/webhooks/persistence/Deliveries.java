package io.walleye.webhooks.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
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
	 * Claims up to {@code limit} due deliveries until {@code leaseEnd}, counting this attempt, in the caller's
	 * transaction. Served by {@code webhook_deliveries_due}.
	 */
	public List<Claimed> claim(Instant now, Instant leaseEnd, int limit) {
		UUID claim = UUID.randomUUID();
		// A claim need not survive a crash: lost, the delivery is simply due again, as when its worker dies. Not
		// waiting for its WAL flush lets the claiming loop hand out slots as fast as receivers free them (with a
		// flush per claim it was bounded near 600 claims/s). Must run in a transaction; results stay durable.
		jdbc.sql("set local synchronous_commit = off").update();
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

	/** Writes attempts, many in one statement; an attempt already written (same delivery and number) is kept. */
	public void recordAttempts(List<Attempt> attempts) {
		if (attempts.isEmpty()) {
			return;
		}
		int n = attempts.size();
		UUID[] deliveries = new UUID[n];
		Integer[] numbers = new Integer[n];
		Timestamp[] at = new Timestamp[n];
		@Nullable Integer[] codes = new Integer[n];
		Integer[] durations = new Integer[n];
		@Nullable String[] bodies = new String[n];
		@Nullable String[] errors = new String[n];
		for (int i = 0; i < n; i++) {
			Attempt attempt = attempts.get(i);
			deliveries[i] = attempt.deliveryId();
			numbers[i] = attempt.attempt();
			at[i] = Timestamp.from(attempt.attemptedAt());
			codes[i] = attempt.statusCode();
			durations[i] = attempt.durationMs();
			bodies[i] = attempt.responseBody();
			errors[i] = attempt.error();
		}
		jdbc.sql("""
				insert into webhook_attempts (delivery_id, attempt, attempted_at, status_code, duration_ms,
				                              response_body, error)
				select * from unnest(cast(:deliveries as uuid[]), cast(:numbers as int[]),
				                     cast(:at as timestamptz[]), cast(:codes as int[]), cast(:durations as int[]),
				                     cast(:bodies as text[]), cast(:errors as text[]))
				on conflict do nothing
				""")
			.param("deliveries", new SqlArrayValue("uuid", (Object[]) deliveries))
			.param("numbers", new SqlArrayValue("int4", (Object[]) numbers))
			.param("at", new SqlArrayValue("timestamptz", (Object[]) at))
			.param("codes", new SqlArrayValue("int4", (Object[]) codes))
			.param("durations", new SqlArrayValue("int4", (Object[]) durations))
			.param("bodies", new SqlArrayValue("text", (Object[]) bodies))
			.param("errors", new SqlArrayValue("text", (Object[]) errors))
			.update();
	}

	/**
	 * How a claim ends: {@code status} pending (with {@code nextAttemptAt}), delivered or failed.
	 */
	public record Finish(UUID id, UUID claim, String status, @Nullable Instant nextAttemptAt,
			@Nullable Integer statusCode, @Nullable String error) {
	}

	/**
	 * Ends claims, many in one statement, and answers the ones ended. A claim lost meanwhile (its lease ran out and
	 * another worker took the delivery) is left out and its result not written.
	 */
	public Set<UUID> finish(List<Finish> finishes, Instant now) {
		if (finishes.isEmpty()) {
			return Set.of();
		}
		int n = finishes.size();
		UUID[] ids = new UUID[n];
		UUID[] claims = new UUID[n];
		String[] statuses = new String[n];
		@Nullable Timestamp[] next = new Timestamp[n];
		@Nullable Integer[] codes = new Integer[n];
		@Nullable String[] errors = new String[n];
		for (int i = 0; i < n; i++) {
			Finish finish = finishes.get(i);
			ids[i] = finish.id();
			claims[i] = finish.claim();
			statuses[i] = finish.status();
			next[i] = finish.nextAttemptAt() == null ? null : Timestamp.from(finish.nextAttemptAt());
			codes[i] = finish.statusCode();
			errors[i] = finish.error();
		}
		// Rows are matched on their claim, so two workers only meet on a row after a lease ran out. The ids are fed in
		// order, but the plan decides the order rows are locked in: a deadlock there is not ruled out, and PostgreSQL
		// breaking one fails the group, which the worker then writes one result at a time.
		return new HashSet<>(jdbc.sql("""
				update webhook_deliveries d
				   set status = f.status, claim = null, next_attempt_at = coalesce(f.next, d.next_attempt_at),
				       last_status_code = f.code, last_error = f.error,
				       finished_at = case when f.status = 'pending' then null else cast(:now as timestamptz) end
				  from (select * from unnest(cast(:ids as uuid[]), cast(:claims as uuid[]), cast(:statuses as text[]),
				                             cast(:next as timestamptz[]), cast(:codes as int[]),
				                             cast(:errors as text[])) as f (id, claim, status, next, code, error)
				         order by id) f
				 where d.id = f.id and d.claim = f.claim
				returning d.id
				""")
			.param("ids", new SqlArrayValue("uuid", (Object[]) ids))
			.param("claims", new SqlArrayValue("uuid", (Object[]) claims))
			.param("statuses", new SqlArrayValue("text", (Object[]) statuses))
			.param("next", new SqlArrayValue("timestamptz", (Object[]) next))
			.param("codes", new SqlArrayValue("int4", (Object[]) codes))
			.param("errors", new SqlArrayValue("text", (Object[]) errors))
			.param("now", Timestamp.from(now))
			.query(UUID.class)
			.list());
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
