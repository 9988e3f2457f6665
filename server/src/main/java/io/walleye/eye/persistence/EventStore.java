package io.walleye.eye.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.walleye.eye.Event;
import io.walleye.eye.EventQuery;
import io.walleye.eye.FailedEvent;
import io.walleye.eye.FailedQuery;
import io.walleye.eye.FailureReason;
import io.walleye.eye.SessionSummary;
import io.walleye.eye.StatsBucket;
import io.walleye.eye.intake.QueuedEvent;
import io.walleye.platform.Cursor;

/** The event store (valid events, partitioned by time) and the failed-events store. */
@Repository
public class EventStore {

	private static final String EVENT_COLUMNS = """
			application_id, id, session_id, category, name, occurred_at, data::text as data, context::text as context, received_at,
			stored_at""";

	private static final String FAILED_COLUMNS = """
			application_id, id, session_id, category, name, occurred_at, data::text as data, received_at, reason,
			messages::text as messages, raw::text as raw, failed_at""";

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	private final EventData json;

	EventStore(JdbcClient jdbc, JdbcTemplate jdbcTemplate, EventData json) {
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.json = json;
	}

	/** A failed event to file: the queued event, why, and what the validator said. */
	public record Failure(QueuedEvent event, FailureReason reason, List<String> messages) {
	}

	/**
	 * The events whose (application, id) this transaction is the first to record, in order, each once: the dedup the
	 * PostgreSQL intake does on the way in, done here for transports that only queue (Kafka). A concurrent transaction
	 * recording the same id makes this one wait for its outcome, so a redelivered record is filed once.
	 */
	public List<QueuedEvent> firstSeen(List<QueuedEvent> events) {
		if (events.isEmpty()) {
			return events;
		}
		UUID[] applications = events.stream().map(QueuedEvent::applicationId).toArray(UUID[]::new);
		UUID[] ids = events.stream().map(QueuedEvent::id).toArray(UUID[]::new);
		List<List<UUID>> inserted = jdbcTemplate.execute((ConnectionCallback<List<List<UUID>>>) connection -> {
			try (PreparedStatement statement = connection.prepareStatement("""
					insert into eye_event_ids (application_id, id)
					select distinct a, i from unnest(?::uuid[], ?::uuid[]) as t(a, i)
					on conflict do nothing
					returning application_id, id
					""")) {
				statement.setArray(1, connection.createArrayOf("uuid", applications));
				statement.setArray(2, connection.createArrayOf("uuid", ids));
				List<List<UUID>> rows = new ArrayList<>();
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						rows.add(List.of(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)));
					}
				}
				return rows;
			}
		});
		Set<List<UUID>> fresh = new HashSet<>(inserted == null ? List.of() : inserted);
		List<QueuedEvent> first = new ArrayList<>(fresh.size());
		for (QueuedEvent event : events) {
			if (fresh.remove(List.of(event.applicationId(), event.id()))) {
				first.add(event);
			}
		}
		return first;
	}

	public void insertEvents(List<QueuedEvent> events, Instant storedAt) {
		if (events.isEmpty()) {
			return;
		}
		int n = events.size();
		Object[][] columns = new Object[7][n];
		@Nullable String[] contexts = new String[n];
		for (int i = 0; i < n; i++) {
			QueuedEvent event = events.get(i);
			columns[0][i] = event.applicationId();
			columns[1][i] = event.id();
			columns[2][i] = event.sessionId();
			columns[3][i] = event.category();
			columns[4][i] = event.name();
			columns[5][i] = event.occurredAt().toString();
			columns[6][i] = event.data();
			contexts[i] = event.context();
		}
		String[] receivedAt = events.stream().map(e -> e.receivedAt().toString()).toArray(String[]::new);
		jdbcTemplate.execute((ConnectionCallback<Integer>) connection -> {
			try (PreparedStatement statement = connection.prepareStatement("""
					insert into eye_events (application_id, id, session_id, category, name, occurred_at, data,
					                        context, received_at, stored_at)
					select a, i, s, c, n, o::timestamptz, d::jsonb, x::jsonb, r::timestamptz, ?
					from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
					            ?::text[])
					     as t(a, i, s, c, n, o, d, x, r)
					""")) {
				statement.setTimestamp(1, Timestamp.from(storedAt));
				String[] types = { "uuid", "uuid", "uuid", "text", "text", "text", "text" };
				for (int c = 0; c < types.length; c++) {
					Object[] values = c < 3 ? Arrays.copyOf(columns[c], n, UUID[].class)
							: Arrays.copyOf(columns[c], n, String[].class);
					statement.setArray(c + 2, connection.createArrayOf(types[c], values));
				}
				statement.setArray(types.length + 2, connection.createArrayOf("text", contexts));
				statement.setArray(types.length + 3, connection.createArrayOf("text", receivedAt));
				return statement.executeUpdate();
			}
		});
	}

	/**
	 * Removes events from the event store again, in the transaction that stored them: the PostgreSQL intake's drain
	 * stores a whole batch as valid before the worker has looked at it (most events are valid), and the worker withdraws
	 * the ones that fail.
	 */
	public void withdraw(List<QueuedEvent> events) {
		if (events.isEmpty()) {
			return;
		}
		UUID[] applications = events.stream().map(QueuedEvent::applicationId).toArray(UUID[]::new);
		UUID[] ids = events.stream().map(QueuedEvent::id).toArray(UUID[]::new);
		String[] occurredAt = events.stream().map(e -> e.occurredAt().toString()).toArray(String[]::new);
		jdbcTemplate.execute((ConnectionCallback<Integer>) connection -> {
			try (PreparedStatement statement = connection.prepareStatement("""
					delete from eye_events e
					using unnest(?::uuid[], ?::uuid[], ?::text[]) as t(a, i, o)
					where e.application_id = t.a and e.id = t.i and e.occurred_at = t.o::timestamptz
					""")) {
				statement.setArray(1, connection.createArrayOf("uuid", applications));
				statement.setArray(2, connection.createArrayOf("uuid", ids));
				statement.setArray(3, connection.createArrayOf("text", occurredAt));
				return statement.executeUpdate();
			}
		});
	}

	/**
	 * Files failed events with one statement per batch. An event filed before (a retry that failed again) gets the new
	 * verdict; if one batch names an event twice, the later verdict wins, as it would filing them one by one.
	 */
	public void insertFailures(List<Failure> failures, Instant failedAt) {
		if (failures.isEmpty()) {
			return;
		}
		int n = failures.size();
		UUID[] applications = new UUID[n];
		UUID[] ids = new UUID[n];
		UUID[] sessions = new UUID[n];
		String[][] texts = new String[8][n];
		for (int k = 0; k < n; k++) {
			Failure failure = failures.get(k);
			QueuedEvent event = failure.event();
			applications[k] = event.applicationId();
			ids[k] = event.id();
			sessions[k] = event.sessionId();
			texts[0][k] = event.category();
			texts[1][k] = event.name();
			texts[2][k] = event.occurredAt().toString();
			texts[3][k] = event.data();
			texts[4][k] = event.receivedAt().toString();
			texts[5][k] = failure.reason().code();
			texts[6][k] = json.write(failure.messages());
			texts[7][k] = raw(event);
		}
		jdbcTemplate.execute((ConnectionCallback<Integer>) connection -> {
			try (PreparedStatement statement = connection.prepareStatement("""
					insert into eye_failed_events (application_id, id, session_id, category, name, occurred_at, data,
					    received_at, reason, messages, raw, failed_at)
					select distinct on (a, i) a, i, s, c, n, o::timestamptz, d::jsonb, r::timestamptz, why, m::jsonb,
					       w::json, ?
					from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
					            ?::text[], ?::text[], ?::text[]) with ordinality as t(a, i, s, c, n, o, d, r, why, m, w, k)
					order by a, i, k desc
					on conflict (application_id, id) do update
					    set reason = excluded.reason, messages = excluded.messages, failed_at = excluded.failed_at
					""")) {
				statement.setTimestamp(1, Timestamp.from(failedAt));
				statement.setArray(2, connection.createArrayOf("uuid", applications));
				statement.setArray(3, connection.createArrayOf("uuid", ids));
				statement.setArray(4, connection.createArrayOf("uuid", sessions));
				for (int c = 0; c < texts.length; c++) {
					statement.setArray(5 + c, connection.createArrayOf("text", texts[c]));
				}
				return statement.executeUpdate();
			}
		});
	}

	/** The event as the application sent it (envelope and data), for the data team to see what was wrong. */
	private String raw(QueuedEvent event) {
		Map<String, Object> raw = new LinkedHashMap<>();
		raw.put("id", event.id().toString());
		raw.put("session_id", event.sessionId().toString());
		raw.put("category", event.category());
		raw.put("name", event.name());
		raw.put("timestamp", event.occurredAt().toString());
		raw.put("data", json.read(event.data()));
		if (event.context() != null) {
			raw.put("context", json.read(event.context()));
		}
		return json.write(raw);
	}

	public List<Event> events(EventQuery query, @Nullable Cursor after, int fetch) {
		StringBuilder sql = new StringBuilder("select " + EVENT_COLUMNS + " from eye_events where true");
		Map<String, Object> params = new LinkedHashMap<>();
		condition(sql, params, "application_id = :app", "app", query.applicationId());
		condition(sql, params, "session_id = :session", "session", query.sessionId());
		condition(sql, params, "category = :category", "category", query.category());
		condition(sql, params, "name = :name", "name", query.name());
		condition(sql, params, "occurred_at >= :from", "from", ts(query.from()));
		condition(sql, params, "occurred_at < :to", "to", ts(query.to()));
		String direction = query.ascending() ? "asc" : "desc";
		if (after != null) {
			sql.append(query.ascending() ? " and (occurred_at, id) > (:afterAt, :afterId)"
					: " and (occurred_at, id) < (:afterAt, :afterId)");
			params.put("afterAt", Timestamp.from(after.instant(0)));
			params.put("afterId", after.uuid(1));
		}
		sql.append(" order by occurred_at ").append(direction).append(", id ").append(direction).append(" limit :fetch");
		params.put("fetch", fetch);
		return jdbc.sql(sql.toString()).params(params).query(this::event).list();
	}

	public Optional<Event> event(UUID id, @Nullable UUID application) {
		StringBuilder sql = new StringBuilder("select " + EVENT_COLUMNS + " from eye_events where id = :id");
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("id", id);
		condition(sql, params, "application_id = :app", "app", application);
		sql.append(" order by occurred_at limit 1");
		return jdbc.sql(sql.toString()).params(params).query(this::event).optional();
	}

	public Optional<SessionSummary> session(UUID sessionId, @Nullable UUID application) {
		StringBuilder sql = new StringBuilder("""
				select min(occurred_at) as first_at, max(occurred_at) as last_at, count(*) as n,
				       array_agg(distinct application_id) as apps
				from eye_events where session_id = :session""");
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("session", sessionId);
		condition(sql, params, "application_id = :app", "app", application);
		return jdbc.sql(sql.toString()).params(params).query((rs, row) -> {
			long count = rs.getLong("n");
			if (count == 0) {
				return null;
			}
			UUID[] apps = (UUID[]) rs.getArray("apps").getArray();
			return new SessionSummary(sessionId, rs.getTimestamp("first_at").toInstant(),
					rs.getTimestamp("last_at").toInstant(), count, List.of(apps));
		}).optional();
	}

	public List<FailedEvent> failed(FailedQuery query, @Nullable Cursor after, int fetch) {
		StringBuilder sql = new StringBuilder("select " + FAILED_COLUMNS + " from eye_failed_events where true");
		Map<String, Object> params = new LinkedHashMap<>();
		condition(sql, params, "application_id = :app", "app", query.applicationId());
		condition(sql, params, "reason = :reason", "reason", query.reason() == null ? null : query.reason().code());
		condition(sql, params, "category = :category", "category", query.category());
		condition(sql, params, "name = :name", "name", query.name());
		condition(sql, params, "failed_at >= :from", "from", ts(query.from()));
		condition(sql, params, "failed_at < :to", "to", ts(query.to()));
		if (after != null) {
			sql.append(" and (failed_at, id) < (:afterAt, :afterId)");
			params.put("afterAt", Timestamp.from(after.instant(0)));
			params.put("afterId", after.uuid(1));
		}
		sql.append(" order by failed_at desc, id desc limit :fetch");
		params.put("fetch", fetch);
		return jdbc.sql(sql.toString()).params(params).query(this::failed).list();
	}

	/** A failed event, locked for this transaction (a retry moves it). */
	public Optional<FailedEvent> lockFailed(UUID id, @Nullable UUID application) {
		StringBuilder sql = new StringBuilder("select " + FAILED_COLUMNS + " from eye_failed_events where id = :id");
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("id", id);
		condition(sql, params, "application_id = :app", "app", application);
		sql.append(" limit 1 for update");
		return jdbc.sql(sql.toString()).params(params).query(this::failed).optional();
	}

	public Optional<FailedEvent> findFailed(UUID id, @Nullable UUID application) {
		StringBuilder sql = new StringBuilder("select " + FAILED_COLUMNS + " from eye_failed_events where id = :id");
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("id", id);
		condition(sql, params, "application_id = :app", "app", application);
		sql.append(" limit 1");
		return jdbc.sql(sql.toString()).params(params).query(this::failed).optional();
	}

	public void deleteFailed(UUID application, UUID id) {
		jdbc.sql("delete from eye_failed_events where application_id = :app and id = :id")
			.param("app", application)
			.param("id", id)
			.update();
	}

	/** Valid and failed counts per time bucket (by occurrence) and group. */
	public List<StatsBucket> stats(Instant from, Instant to, String interval, @Nullable String groupBy,
			@Nullable UUID application) {
		String validGroup = switch (groupBy == null ? "" : groupBy) {
			case "category" -> "category";
			case "name" -> "category || ' / ' || name";
			case "application" -> "application_id::text";
			case "reason" -> "'valid'";
			default -> "'all'";
		};
		String failedGroup = "reason".equals(groupBy) ? "reason" : validGroup;
		String appCondition = application == null ? "" : " and application_id = :app";
		String sql = """
				select bucket, grp, sum(valid) as valid, sum(failed) as failed from (
				    select date_trunc(:interval, occurred_at, 'UTC') as bucket, %s as grp, count(*) as valid, 0 as failed
				    from eye_events where occurred_at >= :from and occurred_at < :to %s group by 1, 2
				    union all
				    select date_trunc(:interval, occurred_at, 'UTC'), %s, 0, count(*)
				    from eye_failed_events where occurred_at >= :from and occurred_at < :to %s group by 1, 2
				) t group by bucket, grp order by bucket, grp
				""".formatted(validGroup, appCondition, failedGroup, appCondition);
		var spec = jdbc.sql(sql)
			.param("interval", interval)
			.param("from", Timestamp.from(from))
			.param("to", Timestamp.from(to));
		if (application != null) {
			spec = spec.param("app", application);
		}
		return spec.query((rs, row) -> new StatsBucket(rs.getTimestamp("bucket").toInstant(), rs.getString("grp"),
				rs.getLong("valid"), rs.getLong("failed"))).list();
	}

	/** Creates the monthly partitions of the event store that do not exist yet, from this month on. */
	public void ensurePartitions(Instant now, int monthsAhead) {
		jdbc.sql("""
				do $$
				declare
				    month date := date_trunc('month', '%s'::timestamptz at time zone 'UTC');
				begin
				    for i in 0..%d loop
				        execute format('create table if not exists %%I partition of eye_events for values from (%%L) to (%%L)',
				                       'eye_events_' || to_char(month, 'YYYY_MM'), month, month + interval '1 month');
				        month := month + interval '1 month';
				    end loop;
				end $$
				""".formatted(now.toString(), monthsAhead)).update();
	}

	private static void condition(StringBuilder sql, Map<String, Object> params, String clause, String name,
			@Nullable Object value) {
		if (value != null) {
			sql.append(" and ").append(clause);
			params.put(name, value);
		}
	}

	private static @Nullable Timestamp ts(@Nullable Instant instant) {
		return instant == null ? null : Timestamp.from(instant);
	}

	private Event event(ResultSet rs, int row) throws SQLException {
		String context = rs.getString("context");
		return new Event(rs.getObject("id", UUID.class), rs.getObject("application_id", UUID.class),
				rs.getObject("session_id", UUID.class), rs.getString("category"), rs.getString("name"),
				rs.getTimestamp("occurred_at").toInstant(), json.read(rs.getString("data")),
				context == null ? null : json.read(context), rs.getTimestamp("received_at").toInstant(),
				rs.getTimestamp("stored_at").toInstant());
	}

	private FailedEvent failed(ResultSet rs, int row) throws SQLException {
		List<String> messages = new ArrayList<>();
		json.read(rs.getString("messages")).forEach(node -> messages.add(node.asString()));
		JsonNode raw = json.read(rs.getString("raw"));
		return new FailedEvent(rs.getObject("id", UUID.class), rs.getObject("application_id", UUID.class),
				rs.getObject("session_id", UUID.class), rs.getString("category"), rs.getString("name"),
				rs.getTimestamp("occurred_at").toInstant(), FailureReason.ofCode(rs.getString("reason")), messages, raw,
				rs.getTimestamp("received_at").toInstant(), rs.getTimestamp("failed_at").toInstant());
	}

	/** The queued form of a failed event, to validate it again. */
	public QueuedEvent requeued(FailedEvent failed) {
		return new QueuedEvent(failed.applicationId(), failed.id(), failed.sessionId(), failed.category(),
				failed.name(), failed.timestamp(), json.write(failed.raw().get("data")), failed.receivedAt(),
				failed.raw().has("context") ? json.write(failed.raw().get("context")) : null);
	}
}
