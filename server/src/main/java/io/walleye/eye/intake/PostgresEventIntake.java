package io.walleye.eye.intake;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.walleye.eye.Backlog;
import io.walleye.eye.EyeProperties;
import io.walleye.platform.ApiException;
import io.walleye.platform.DatabaseFault;
import io.walleye.platform.DatabaseTimeouts;
import io.walleye.platform.FieldError;

/**
 * The intake as a PostgreSQL table, with group commit: a request's events wait a few milliseconds in memory for
 * other requests', then one committer thread writes them all with one statement and one fsync, and only then are the
 * requests answered. Dedup is the insert into {@code eye_event_ids} in that same statement.
 */
@Component
class PostgresEventIntake implements EventIntake, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(PostgresEventIntake.class);

	private static final String INSERT = """
			with input as (
			    select distinct on (application_id, id) *
			    from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[])
			         as t(application_id, id, session_id, category, name, occurred_at, data, context)
			),
			fresh as (
			    insert into eye_event_ids (application_id, id)
			    select application_id, id from input
			    on conflict do nothing
			    returning application_id, id
			)
			insert into eye_intake (application_id, id, session_id, category, name, occurred_at, data, context,
			                        received_at)
			select i.application_id, i.id, i.session_id, i.category, i.name, i.occurred_at, i.data::jsonb,
			       i.context::jsonb, ?
			from input i join fresh f on f.application_id = i.application_id and f.id = i.id
			""";

	private final JdbcTemplate jdbcTemplate;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final EyeProperties.Intake settings;

	private final Timer commitTimer;

	private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

	private final List<Thread> committers = new ArrayList<>();

	private volatile boolean running;

	/** How long a request waits for a committer: a stalled database must cost it a 503, not a hung request. */
	private final Duration handOffWait;

	PostgresEventIntake(JdbcTemplate jdbcTemplate, JdbcClient jdbc, TransactionTemplate transactions, Clock clock,
			EyeProperties properties, MeterRegistry meters, DatabaseTimeouts timeouts) {
		this.handOffWait = timeouts.handOffWait();
		this.jdbcTemplate = jdbcTemplate;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.clock = clock;
		this.settings = properties.intake();
		this.commitTimer = Timer.builder("eye.ingest.commit")
			.description("Time to make one group of accepted events durable")
			.publishPercentileHistogram()
			.register(meters);
	}

	private record Pending(List<QueuedEvent> events, CompletableFuture<Void> done) {
	}

	@Override
	public void submit(List<QueuedEvent> events) {
		if (events.isEmpty()) {
			return;
		}
		if (!running) {
			write(events);
			return;
		}
		Pending request = new Pending(events, new CompletableFuture<>());
		pending.add(request);
		try {
			request.done().get(handOffWait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (TimeoutException ex) {
			if (pending.remove(request)) {
				throw DatabaseFault.timedOut();
			}
			// A committer has them and may still commit: sending them again with the same ids is harmless (dedup).
			throw ApiException.serviceUnavailable("database_timeout",
					"The events were not confirmed in time and may have been stored; send them again with the same "
							+ "ids (duplicates are dropped)");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw DatabaseFault.timedOut();
		}
	}

	private void commitLoop() {
		long lingerNanos = settings.linger().toNanos();
		while (running || !pending.isEmpty()) {
			try {
				Pending first = pending.poll(200, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				List<Pending> group = new ArrayList<>();
				group.add(first);
				int count = first.events().size();
				long deadline = System.nanoTime() + lingerNanos;
				while (count < settings.maxEventsPerCommit()) {
					Pending next = pending.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
					if (next == null) {
						break;
					}
					group.add(next);
					count += next.events().size();
				}
				commitGroup(group, count);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * One statement for the whole group; if the database refuses it, each request on its own (as the wallet's charge
	 * writer does), so that one request's bad value costs only that request — never another application's events.
	 */
	private void commitGroup(List<Pending> group, int count) {
		List<QueuedEvent> all = new ArrayList<>(count);
		group.forEach(request -> all.addAll(request.events()));
		try {
			write(all);
			group.forEach(request -> request.done().complete(null));
		}
		catch (RuntimeException groupFailed) {
			DatabaseFault fault = DatabaseFault.of(groupFailed);
			if (fault != null && fault.affectsEveryone()) {
				// Down or stalled: each request alone would wait as long again, one after the other.
				log.warn("Intake commit of {} events from {} requests failed: the database is {}", count, group.size(),
						fault);
				group.forEach(request -> request.done().completeExceptionally(fault.problem()));
				return;
			}
			log.warn("Intake commit of {} events from {} requests failed ({}); committing each request on its own",
					count, group.size(), groupFailed.getClass().getSimpleName());
			for (Pending request : group) {
				try {
					write(request.events());
					request.done().complete(null);
				}
				catch (RuntimeException failed) {
					request.done().completeExceptionally(refusal(request.events(), failed));
				}
			}
		}
	}

	/**
	 * What to answer a request the database refused on its own. Refused data (which the request's checks should have
	 * caught) is the client's 400, with the items at fault found by trying each in a transaction that is rolled back;
	 * anything else (the database down) stays what it is.
	 */
	private RuntimeException refusal(List<QueuedEvent> events, RuntimeException failure) {
		if (!(failure instanceof DataIntegrityViolationException)) {
			return failure;
		}
		log.warn("The database refused a request of {} events: {}", events.size(),
				((DataIntegrityViolationException) failure).getMostSpecificCause().getMessage());
		List<FieldError> errors = new ArrayList<>();
		for (int i = 0; i < events.size(); i++) {
			if (refused(events.get(i))) {
				errors.add(new FieldError(i, "event", "holds a value the database cannot store"));
			}
		}
		if (errors.isEmpty()) {
			errors.add(FieldError.of("body", "holds a value the database cannot store"));
		}
		return InvalidEvents.of(errors);
	}

	private boolean refused(QueuedEvent event) {
		try {
			transactions.executeWithoutResult(status -> {
				status.setRollbackOnly();
				write(List.of(event));
			});
			return false;
		}
		catch (DataIntegrityViolationException ex) {
			return true;
		}
	}

	private void write(List<QueuedEvent> events) {
		long start = System.nanoTime();
		int n = events.size();
		UUID[] applications = new UUID[n];
		UUID[] ids = new UUID[n];
		UUID[] sessions = new UUID[n];
		String[] categories = new String[n];
		String[] names = new String[n];
		String[] times = new String[n];
		String[] data = new String[n];
		@Nullable String[] contexts = new String[n];
		for (int i = 0; i < n; i++) {
			QueuedEvent event = events.get(i);
			applications[i] = event.applicationId();
			ids[i] = event.id();
			sessions[i] = event.sessionId();
			categories[i] = event.category();
			names[i] = event.name();
			times[i] = event.occurredAt().toString();
			data[i] = event.data();
			contexts[i] = event.context();
		}
		Timestamp receivedAt = Timestamp.from(clock.instant());
		jdbcTemplate.execute((ConnectionCallback<Integer>) connection -> {
			try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
				Array[] arrays = { connection.createArrayOf("uuid", applications), connection.createArrayOf("uuid", ids),
						connection.createArrayOf("uuid", sessions), connection.createArrayOf("text", categories),
						connection.createArrayOf("text", names), connection.createArrayOf("text", times),
						connection.createArrayOf("text", data), connection.createArrayOf("text", contexts) };
				for (int i = 0; i < arrays.length; i++) {
					statement.setArray(i + 1, arrays[i]);
				}
				statement.setTimestamp(arrays.length + 1, receivedAt);
				return statement.executeUpdate();
			}
		});
		commitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
	}

	/**
	 * Claims, removes and stores the batch as valid events in one statement, so the events' data goes from the intake
	 * row to the event store row inside the database: it is not sent to the worker as text and parsed back into
	 * {@code jsonb}, and each intake row is touched once. The worker receives the events (with their data, to validate
	 * them) in the same transaction and withdraws the few that fail into the failed events before it commits.
	 */
	private static final String CLAIM_AND_STORE = """
			with claimed as (
			    delete from eye_intake
			    where seq = any (array(select seq from eye_intake order by seq limit :max for update skip locked))
			    returning *
			),
			stored as (
			    insert into eye_events (application_id, id, session_id, category, name, occurred_at, data, context,
			                            received_at, stored_at)
			    select application_id, id, session_id, category, name, occurred_at, data, context, received_at,
			           :storedAt
			    from claimed
			)
			select seq, application_id, id, session_id, category, name, occurred_at, data::text as data,
			       context::text as context, received_at
			from claimed
			""";

	@Override
	public int drain(int max, Consumer<List<QueuedEvent>> handler) {
		Integer handled = transactions.execute(status -> {
			// The rows are gone, and stored, only if this transaction commits, which it does after the handler has
			// withdrawn and filed the invalid ones; a rollback (or a dead worker) puts them all back in the intake.
			// The claimed numbers are collected into an array first (an InitPlan, run once): written as
			// "seq in (select ...)", the generic plan PostgreSQL caches after five executions can run the locking
			// subselect again for every row it scans, and under a backlog of 41,000 one claim then deleted all of them
			// in 705 s instead of 1,000 in 3 ms (EXPLAIN ANALYZE with plan_cache_mode = force_generic_plan).
			List<Claimed> claimed = new ArrayList<>(jdbc.sql(CLAIM_AND_STORE)
				.param("max", max)
				.param("storedAt", Timestamp.from(clock.instant()))
				.query((rs, row) -> new Claimed(rs.getLong("seq"),
						new QueuedEvent(rs.getObject("application_id", UUID.class), rs.getObject("id", UUID.class),
								rs.getObject("session_id", UUID.class), rs.getString("category"), rs.getString("name"),
								rs.getTimestamp("occurred_at").toInstant(), rs.getString("data"),
								rs.getTimestamp("received_at").toInstant(), rs.getString("context"))))
				.list());
			if (claimed.isEmpty()) {
				return 0;
			}
			claimed.sort(java.util.Comparator.comparingLong(Claimed::seq));
			handler.accept(claimed.stream().map(Claimed::event).toList());
			return claimed.size();
		});
		return handled == null ? 0 : handled;
	}

	private record Claimed(long seq, QueuedEvent event) {
	}

	/**
	 * The span of waiting sequence numbers and the oldest one's arrival: three probes of the primary key, however many
	 * events wait. (Counting the rows read every waiting event four times a second, and at a million waiting events
	 * that took the CPU the worker needed to catch up.) The span is exact except for numbers left unused by a
	 * rolled-back intake commit, and it counts rows a concurrent worker has already filed ahead of an older claim
	 * still in progress (at most threads × batch size) — it errs towards "more".
	 */
	@Override
	public Backlog backlog() {
		return jdbc.sql("""
				select coalesce(max(seq) - min(seq) + 1, 0) as size,
				       (select received_at from eye_intake order by seq limit 1) as oldest
				from eye_intake
				""").query((rs, row) -> {
					Timestamp oldest = rs.getTimestamp("oldest");
					Duration age = oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), clock.instant());
					return new Backlog(rs.getLong("size"), age.isNegative() ? Duration.ZERO : age);
				}).single();
	}

	@Override
	public void start() {
		running = true;
		for (int i = 0; i < Math.max(1, settings.committers()); i++) {
			Thread thread = Thread.ofPlatform().daemon().name("eye-intake-commit-" + i).start(this::commitLoop);
			committers.add(thread);
		}
	}

	@Override
	public void stop() {
		running = false;
		for (Thread thread : committers) {
			try {
				thread.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		committers.clear();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stops after the web server (which stops accepting first) so that queued requests are still committed. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}
}
