package io.walleye.webhooks.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * The events table: the outbox every change writes into in its own transaction, read back as the change feed; and the
 * fan-out of each event into a delivery per subscribed endpoint.
 */
@Repository
public class Outbox {

	/** An event as written: {@code body} is the whole JSON document delivered and listed. */
	public record NewEvent(UUID id, String type, @Nullable UUID owner, String body, Instant createdAt) {
	}

	/** An event of the feed at its position. */
	public record FeedRow(long position, String body) {
	}

	private final JdbcClient jdbc;

	Outbox(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Appends a transaction's events, without a feed position yet, and creates a pending delivery for every enabled
	 * endpoint that subscribes to each, in one statement. Call it last, just before the commit: its time is then after
	 * every lock the transaction took, which is what orders the feed ({@link #sequence}).
	 */
	public void append(List<NewEvent> events) {
		if (events.isEmpty()) {
			return;
		}
		// One text array per column (cast by the statement) instead of six parameters per event: a bulk charge of
		// 1,000 items announces 2,000 events.
		List<String> ids = new ArrayList<>(events.size());
		List<String> types = new ArrayList<>(events.size());
		List<@Nullable String> owners = new ArrayList<>(events.size());
		List<String> bodies = new ArrayList<>(events.size());
		List<String> times = new ArrayList<>(events.size());
		for (NewEvent event : events) {
			UUID owner = event.owner();
			ids.add(event.id().toString());
			types.add(event.type());
			owners.add(owner == null ? null : owner.toString());
			bodies.add(event.body());
			times.add(event.createdAt().toString());
		}
		jdbc.sql("""
				with ev as (
				  insert into webhook_events (id, position, in_feed, written_at, ordinal, type, owner_id, body, created_at)
				  select v.id, null, true, clock_timestamp(), v.ord - 1, v.type, v.owner, v.body, v.created_at
				    from unnest(:ids::uuid[], :types::text[], :owners::uuid[], :bodies::text[], :times::timestamptz[])
				         with ordinality as v (id, type, owner, body, created_at, ord)
				  returning id, type, owner_id, created_at
				)
				insert into webhook_deliveries (id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at)
				select gen_random_uuid(), e.id, ev.id, 'pending', 0, ev.created_at, ev.created_at
				  from ev
				  join webhook_endpoints e
				    on e.enabled
				   and (e.owner_type = 'operator' or e.owner_id = ev.owner_id)
				   and (cardinality(e.event_types) = 0 or ev.type = any (e.event_types))
				""")
			.param("ids", new SqlArrayValue("text", ids.toArray()))
			.param("types", new SqlArrayValue("text", types.toArray()))
			.param("owners", new SqlArrayValue("text", owners.toArray()))
			.param("bodies", new SqlArrayValue("text", bodies.toArray()))
			.param("times", new SqlArrayValue("text", times.toArray()))
			.update();
	}

	/** Whether committed events wait for a feed position (cheap: a partial index). */
	public boolean unsequenced() {
		return jdbc.sql("select exists (select 1 from webhook_events where position is null and in_feed)")
			.query(Boolean.class)
			.single();
	}

	/**
	 * Gives up to {@code batch} committed events their feed positions, in the order they were written, after the
	 * highest position so far; the number given. Must run in a transaction: a transaction-scoped advisory lock makes
	 * rounds take turns (across processes too), and each round's positions become visible at once when it commits, so
	 * a reader that has seen position n never later finds a new event below n. An event appears only once its writer
	 * has committed, and a later writer of the same wallet wrote later (it waited for the earlier one's locks), so
	 * each wallet's events keep the order of its history.
	 */
	public int sequence(int batch) {
		jdbc.sql("select pg_advisory_xact_lock(hashtextextended('webhook_feed_sequencer', 0))")
			.query((rs, n) -> 1)
			.list();
		return jdbc.sql("""
				with next as (
				  select id, row_number() over (order by written_at, ordinal, id) as n
				    from (select id, written_at, ordinal from webhook_events
				           where position is null and in_feed
				           order by written_at, ordinal, id limit :batch) waiting
				), moved as (
				  update webhook_feed_head set position = position + (select count(*) from next) where id = 1
				  returning position - (select count(*) from next) as base
				)
				update webhook_events e set position = moved.base + next.n
				  from next, moved
				 where e.id = next.id
				""").param("batch", batch).update();
	}

	/** An event outside the feed (webhook.test) with its one delivery, to the given endpoint. */
	public UUID appendDirect(NewEvent event, UUID endpointId) {
		UUID delivery = UUID.randomUUID();
		jdbc.sql("""
				with ev as (
				  insert into webhook_events (id, position, in_feed, type, owner_id, body, created_at)
				  values (:id, null, false, :type, :owner::uuid, :body, :at)
				  returning id, created_at
				)
				insert into webhook_deliveries (id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at)
				select :delivery, :endpoint, ev.id, 'pending', 0, ev.created_at, ev.created_at from ev
				""")
			.param("id", event.id())
			.param("type", event.type())
			.param("owner", event.owner())
			.param("body", event.body())
			.param("at", Timestamp.from(event.createdAt()))
			.param("delivery", delivery)
			.param("endpoint", endpointId)
			.update();
		return delivery;
	}

	/**
	 * Feed events after {@code after}, oldest first: an owner's ({@code owner} given) or everyone's. Served by
	 * {@code webhook_events_owner_feed} or the unique index on position.
	 */
	public List<FeedRow> feed(@Nullable UUID owner, long after, Collection<String> types, int limit) {
		StringBuilder sql = new StringBuilder("select position, body from webhook_events where position > :after");
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("after", after);
		if (owner != null) {
			sql.append(" and owner_id = :owner");
			params.put("owner", owner);
		}
		if (!types.isEmpty()) {
			sql.append(" and type in (:types)");
			params.put("types", List.copyOf(types));
		}
		sql.append(" order by position limit :limit");
		params.put("limit", limit);
		return jdbc.sql(sql.toString())
			.params(params)
			.query((rs, n) -> new FeedRow(rs.getLong("position"), rs.getString("body")))
			.list();
	}

	/** The newest position of the feed (0 when empty); every event up to it has its position and is visible. */
	public long head() {
		return jdbc.sql("select position from webhook_feed_head where id = 1").query(Long.class).single();
	}

	/**
	 * Takes up to {@code batch} events created before {@code cutoff} off the front of the feed, in position order,
	 * and moves the retention mark to the last of them, so that no feed event at or below the mark is left: an event
	 * whose delivery is still pending leaves the feed but is kept for that delivery, the others are deleted with their
	 * deliveries and attempts. Events outside the feed (webhook.test, those kept for a delivery) are deleted once no
	 * delivery of theirs is pending. Must run in a transaction: the mark's row lock makes concurrent workers take
	 * turns. The number of events deleted or taken off the feed.
	 */
	public int expire(Instant cutoff, int batch) {
		long mark = jdbc.sql("select pruned_through from webhook_feed_retention where id = 1 for update")
			.query(Long.class)
			.single();
		// The front of the feed up to its first event that is still young: positions follow commit order, creation
		// times almost do, and the mark must never pass a kept event.
		List<Long> due = jdbc.sql("""
				select position from (
				  select position, bool_or(created_at >= :cutoff) over (order by position) as young
				    from (select position, created_at from webhook_events
				           where position > :mark order by position limit :batch) front
				) f
				where not young
				order by position
				""").param("mark", mark).param("batch", batch).param("cutoff", Timestamp.from(cutoff))
			.query((rs, n) -> rs.getLong(1))
			.list();
		if (!due.isEmpty()) {
			long last = due.getLast();
			Map<String, Object> range = Map.of("mark", mark, "last", last);
			jdbc.sql("""
					update webhook_events e set position = null, in_feed = false
					 where position > :mark and position <= :last
					   and exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')
					""").params(range).update();
			jdbc.sql("""
					delete from webhook_deliveries d using webhook_events e
					 where d.event_id = e.id and e.position > :mark and e.position <= :last
					""").params(range).update();
			jdbc.sql("delete from webhook_events where position > :mark and position <= :last").params(range).update();
			jdbc.sql("update webhook_feed_retention set pruned_through = :last where id = 1").param("last", last).update();
		}
		List<UUID> outside = jdbc.sql("""
				select id from webhook_events e
				 where position is null and not in_feed and created_at < :cutoff
				   and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')
				 order by created_at limit :batch
				""").param("cutoff", Timestamp.from(cutoff)).param("batch", batch)
			.query((rs, n) -> rs.getObject(1, UUID.class))
			.list();
		if (!outside.isEmpty()) {
			jdbc.sql("delete from webhook_deliveries where event_id in (:ids)").param("ids", outside).update();
			jdbc.sql("delete from webhook_events where id in (:ids)").param("ids", outside).update();
		}
		return Math.max(due.size(), outside.size());
	}

	/**
	 * The retention mark: no event at or below this position is in the feed any more (0 when nothing expired). A
	 * cursor below it may have missed events.
	 */
	public long prunedThrough() {
		return jdbc.sql("select pruned_through from webhook_feed_retention where id = 1").query(Long.class).single();
	}
}
