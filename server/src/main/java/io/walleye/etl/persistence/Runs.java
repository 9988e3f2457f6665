package io.walleye.etl.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.walleye.etl.EtlSource;
import io.walleye.etl.RunStatus;
import io.walleye.etl.RunView;
import io.walleye.platform.Cursor;

/** etl_runs and the extract frontier (etl_segments), etl_pages and etl_etags: the durable state of runs. */
@Repository
public class Runs {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String OPEN = "('queued', 'running', 'waiting_rate_limit')";

	/** A run with its counts: extract's on its own row, transform's and load's on theirs (etl_run_stage_counts). */
	private static final String RUN = """
			select r.*, coalesce(c.transformed, 0) as stage_transformed, coalesce(c.rejected, 0) as stage_rejected,
			       coalesce(c.loaded, 0) as stage_loaded, coalesce(c.inserted, 0) as stage_inserted,
			       coalesce(c.updated, 0) as stage_updated, coalesce(c.unchanged, 0) as stage_unchanged
			  from etl_runs r
			  left join lateral (select sum(transformed)::int as transformed, sum(rejected)::int as rejected,
			                            sum(loaded)::int as loaded, sum(inserted)::int as inserted,
			                            sum(updated)::int as updated, sum(unchanged)::int as unchanged
			                       from etl_run_stage_counts where run_id = r.id) c on true
			""";

	private final JdbcClient jdbc;

	public Runs(EtlDatabase database) {
		this.jdbc = database.jdbc();
	}

	/** A run a worker holds. */
	/** A run this worker now holds; {@code resumed} when it had started before (another worker or an earlier life). */
	public record Claimed(UUID id, EtlSource source, @Nullable Integer maxRepositories, boolean resumed) {
	}

	/** One open request chain of extract: its query (search only) and the next URL to fetch. */
	public record Segment(int seq, @Nullable String query, String nextUrl) {
	}

	public record Etag(String etag, @Nullable String nextUrl, @Nullable Integer totalCount, int items) {
	}

	public record PendingPage(int pageNo, String stage, @Nullable String body) {
	}

	public void insert(UUID id, EtlSource source, @Nullable Integer maxRepositories, Instant now) {
		jdbc.sql("""
				insert into etl_runs (id, status, source, max_repositories, created_at)
				values (:id, 'queued', :source::jsonb, :max, :now)
				""")
			.param("id", id)
			.param("source", sourceJson(source))
			.param("max", maxRepositories)
			.param("now", Timestamp.from(now))
			.update();
	}

	/**
	 * Takes one unfinished run nobody holds (never held, or its lease ran out because its worker died). SKIP LOCKED
	 * lets several workers claim at once without waiting for each other.
	 */
	public Optional<Claimed> claim(String owner, java.time.Duration lease, Instant now) {
		return jdbc.sql("""
				update etl_runs r
				   set lease_owner = :owner,
				       lease_until = :until,
				       status = case when r.status = 'queued' then 'running' else r.status end,
				       started_at = coalesce(r.started_at, :now)
				 where r.id = (select id from etl_runs
				                where status in %s and (lease_until is null or lease_until < :now)
				                order by created_at
				                limit 1
				                for update skip locked)
				returning r.id, r.source::text as source, r.max_repositories, r.started_at < :now as resumed
				""".formatted(OPEN))
			.param("owner", owner)
			.param("until", Timestamp.from(now.plus(lease)))
			.param("now", Timestamp.from(now))
			.query((rs, n) -> new Claimed(rs.getObject("id", UUID.class), source(rs.getString("source")),
					(Integer) rs.getObject("max_repositories"), rs.getBoolean("resumed")))
			.optional();
	}

	/** Extends the lease; false when this worker no longer holds the run (it was taken over or finished). */
	public boolean renew(UUID id, String owner, java.time.Duration lease, Instant now) {
		return jdbc.sql("update etl_runs set lease_until = :until where id = :id and lease_owner = :owner and status in "
				+ OPEN)
			.param("until", Timestamp.from(now.plus(lease)))
			.param("id", id)
			.param("owner", owner)
			.update() == 1;
	}

	/** Lets another worker continue the run at once (graceful shutdown). */
	public void release(UUID id, String owner) {
		jdbc.sql("update etl_runs set lease_owner = null, lease_until = null where id = :id and lease_owner = :owner")
			.param("id", id)
			.param("owner", owner)
			.update();
	}

	/** False when the run had already ended (cancelled meanwhile): nothing changes then. */
	public boolean finish(UUID id, RunStatus status, @Nullable String error, Instant now) {
		boolean finished = jdbc.sql("""
				update etl_runs set status = :status, error = :error, finished_at = :now, waiting_until = null,
				       lease_owner = null, lease_until = null
				 where id = :id and status in %s
				""".formatted(OPEN))
			.param("status", status.value())
			.param("error", error)
			.param("now", Timestamp.from(now))
			.param("id", id)
			.update() == 1;
		// Staged rows only served to collapse duplicates within the run.
		jdbc.sql("delete from etl_staged where run_id = :id").param("id", id).update();
		return finished;
	}

	public boolean cancel(UUID id, Instant now) {
		boolean cancelled = jdbc.sql("""
				update etl_runs set status = 'cancelled', finished_at = :now, waiting_until = null
				 where id = :id and status in %s
				""".formatted(OPEN)).param("now", Timestamp.from(now)).param("id", id).update() == 1;
		if (cancelled) {
			// What the run had fetched but not loaded will never be loaded: free it.
			jdbc.sql("delete from etl_staged where run_id = :id").param("id", id).update();
			jdbc.sql("update etl_pages set body = null where run_id = :id and body is not null").param("id", id).update();
		}
		return cancelled;
	}

	public void waiting(UUID id, @Nullable Instant until) {
		jdbc.sql("""
				update etl_runs set status = case when :until::timestamptz is null then 'running' else 'waiting_rate_limit' end,
				       waiting_until = :until::timestamptz
				 where id = :id and status in ('running', 'waiting_rate_limit')
				""").param("until", until == null ? null : Timestamp.from(until)).param("id", id).update();
	}

	/** What GitHub says the source holds, learnt from the first page; for the progress bar only. */
	public void expected(UUID id, int expected) {
		jdbc.sql("update etl_runs set expected = :expected where id = :id and expected is null")
			.param("expected", expected)
			.param("id", id)
			.update();
	}

	public void rateLimit(UUID id, int remaining, @Nullable Instant resetAt) {
		jdbc.sql("update etl_runs set rate_remaining = :remaining, rate_reset_at = :reset where id = :id")
			.param("remaining", remaining)
			.param("reset", resetAt == null ? null : Timestamp.from(resetAt))
			.param("id", id)
			.update();
	}

	public Optional<RunView> find(UUID id) {
		return jdbc.sql(RUN + " where r.id = :id").param("id", id).query(Runs::view).optional();
	}

	public Optional<RunStatus> status(UUID id) {
		return jdbc.sql("select status from etl_runs where id = :id")
			.param("id", id)
			.query((rs, n) -> RunStatus.of(rs.getString(1)))
			.optional();
	}

	public List<RunView> list(@Nullable Cursor after, int fetch) {
		return jdbc.sql("""
				%s
				 where (:after_at::timestamptz is null or (r.created_at, r.id) < (:after_at::timestamptz, :after_id::uuid))
				 order by r.created_at desc, r.id desc
				 limit :fetch
				""".formatted(RUN))
			.param("after_at", after == null ? null : Timestamp.from(after.instant(0)))
			.param("after_id", after == null ? null : after.uuid(1))
			.param("fetch", fetch)
			.query(Runs::view)
			.list();
	}

	// ---- extract frontier ---------------------------------------------------------------------------------------

	public List<Segment> openSegments(UUID run) {
		return jdbc.sql("select seq, query, next_url from etl_segments where run_id = :run and not done order by seq")
			.param("run", run)
			.query((rs, n) -> new Segment(rs.getInt(1), rs.getString(2), rs.getString(3)))
			.list();
	}

	public boolean hasSegments(UUID run) {
		return jdbc.sql("select exists (select 1 from etl_segments where run_id = :run)")
			.param("run", run)
			.query(Boolean.class)
			.single();
	}

	public void addSegment(UUID run, @Nullable String query, String url) {
		jdbc.sql("""
				insert into etl_segments (run_id, seq, query, next_url)
				select :run, coalesce(max(seq) + 1, 0), :query, :url from etl_segments where run_id = :run
				""").param("run", run).param("query", query).param("url", url).update();
	}

	/**
	 * Moves a segment's cursor from the page just fetched to the next one (none: the segment is done), unless it has
	 * moved already: false then. A commit whose answer was lost with the connection (the database paused or went away
	 * mid-commit) may have happened, and the retry must not store the same page a second time.
	 */
	public boolean advance(UUID run, int seq, String from, @Nullable String nextUrl) {
		return jdbc.sql("""
				update etl_segments set next_url = :next, done = (:next::text is null)
				 where run_id = :run and seq = :seq and next_url = :from and not done
				""")
			.param("next", nextUrl)
			.param("run", run)
			.param("seq", seq)
			.param("from", from)
			.update() == 1;
	}

	public void extractDone(UUID run) {
		jdbc.sql("update etl_segments set done = true where run_id = :run").param("run", run).update();
		jdbc.sql("update etl_runs set extract_done = true where id = :run").param("run", run).update();
	}

	public boolean isExtractDone(UUID run) {
		return jdbc.sql("select extract_done from etl_runs where id = :run").param("run", run).query(Boolean.class).single();
	}

	// ---- pages --------------------------------------------------------------------------------------------------

	/**
	 * Stores the page fetched at a segment's cursor, counts it and moves the cursor on, in the caller's transaction;
	 * false, storing nothing, when the cursor has moved past that page already (see {@link #advance}). A 304 page has
	 * no body and nothing to transform or load.
	 */
	public boolean storePage(UUID run, int seq, String url, int httpStatus, @Nullable String body, int items,
			@Nullable String etag, @Nullable String nextUrl, @Nullable Integer totalCount, @Nullable Integer remaining,
			@Nullable Instant resetAt) {
		if (!advance(run, seq, url, nextUrl)) {
			return false;
		}
		jdbc.sql("""
				insert into etl_pages (run_id, page_no, url, http_status, body, stage, etag, next_url, total_count, items)
				select :run, coalesce(max(page_no) + 1, 0), :url, :status, :body, :stage, :etag, :next, :total, :items
				  from etl_pages where run_id = :run
				""")
			.param("run", run)
			.param("etag", etag)
			.param("next", nextUrl)
			.param("total", totalCount)
			.param("items", items)
			.param("url", url)
			.param("status", httpStatus)
			.param("body", body)
			.param("stage", body == null ? "loaded" : "extracted")
			.update();
		jdbc.sql("""
				update etl_runs set pages = pages + 1, extracted = extracted + :items,
				       not_modified = not_modified + :not_modified,
				       rate_remaining = coalesce(:remaining, rate_remaining),
				       rate_reset_at = coalesce(:reset::timestamptz, rate_reset_at)
				 where id = :run
				""")
			.param("items", items)
			.param("not_modified", httpStatus == 304 ? 1 : 0)
			.param("remaining", remaining)
			.param("reset", resetAt == null ? null : Timestamp.from(resetAt))
			.param("run", run)
			.update();
		return true;
	}

	/** Up to {@code limit} pages waiting in one stage, oldest first, with their bodies when still to transform. */
	public List<PendingPage> pages(UUID run, String stage, int limit) {
		return jdbc.sql("""
				select page_no, stage, case when stage = 'extracted' then body end as body
				  from etl_pages where run_id = :run and stage = :stage order by page_no limit :limit
				""")
			.param("run", run)
			.param("stage", stage)
			.param("limit", limit)
			.query((rs, n) -> new PendingPage(rs.getInt(1), rs.getString(2), rs.getString(3)))
			.list();
	}

	/**
	 * Which of these pages are still in the stage, locked until the caller's transaction ends: a stage's transaction
	 * works on those only, so its retry after a commit whose answer was lost finds them moved on and does nothing
	 * twice (no second rejects, no counts added again).
	 */
	public List<Integer> lockPagesIn(UUID run, List<Integer> pageNos, String stage) {
		return jdbc.sql("""
				select page_no from etl_pages where run_id = :run and page_no in (:pages) and stage = :stage
				 order by page_no for update
				""")
			.param("run", run)
			.param("pages", pageNos)
			.param("stage", stage)
			.query((rs, n) -> rs.getInt(1))
			.list();
	}

	public void pageStage(UUID run, List<Integer> pageNos, String stage) {
		// The body stays until the page is loaded: load takes the records' raw JSON from it.
		jdbc.sql("""
				update etl_pages set stage = :stage, body = case when :stage = 'loaded' then null else body end
				 where run_id = :run and page_no in (:pages)
				""")
			.param("stage", stage)
			.param("run", run)
			.param("pages", pageNos)
			.update();
	}

	/** Rows transform has staged for the run so far. */
	public int transformed(UUID run) {
		return jdbc.sql("""
				select r.transformed + coalesce((select transformed from etl_run_stage_counts
				                                  where run_id = r.id and stage = 'transform'), 0)
				  from etl_runs r where r.id = :run
				""").param("run", run).query(Integer.class).single();
	}

	/**
	 * Adds to transform's or load's counts, on the stage's own row: the run's row stays free for extract and the
	 * heartbeat, so the stages' commits do not wait for each other.
	 */
	public void count(UUID run, String stage, int transformed, int rejected, int loaded, int inserted, int updated,
			int unchanged) {
		jdbc.sql("""
				insert into etl_run_stage_counts as c (run_id, stage, transformed, rejected, loaded, inserted, updated,
				       unchanged)
				values (:run, :stage, :transformed, :rejected, :loaded, :inserted, :updated, :unchanged)
				on conflict (run_id, stage) do update set transformed = c.transformed + excluded.transformed,
				       rejected = c.rejected + excluded.rejected, loaded = c.loaded + excluded.loaded,
				       inserted = c.inserted + excluded.inserted, updated = c.updated + excluded.updated,
				       unchanged = c.unchanged + excluded.unchanged
				""")
			.param("run", run)
			.param("stage", stage)
			.param("transformed", transformed)
			.param("rejected", rejected)
			.param("loaded", loaded)
			.param("inserted", inserted)
			.param("updated", updated)
			.param("unchanged", unchanged)
			.update();
	}

	public int counter(UUID run, String column) {
		return jdbc.sql("select " + column + " from etl_runs where id = :run").param("run", run).query(Integer.class).single();
	}

	// ---- ETags --------------------------------------------------------------------------------------------------

	public Optional<Etag> etag(String url) {
		return jdbc.sql("select etag, next_url, total_count, items from etl_etags where url = :url")
			.param("url", url)
			.query((rs, n) -> new Etag(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3), rs.getInt(4)))
			.optional();
	}

	/** Remembers a loaded page's validator for the next run (see etl_pages.etag). */
	public void saveEtagOfPages(UUID run, List<Integer> pageNos, Instant now) {
		jdbc.sql("""
				insert into etl_etags (url, etag, next_url, total_count, items, fetched_at)
				select distinct on (url) url, etag, next_url, total_count, items, :now from etl_pages
				 where run_id = :run and page_no in (:pages) and etag is not null
				 order by url, page_no desc
				on conflict (url) do update set etag = excluded.etag, next_url = excluded.next_url,
				       total_count = excluded.total_count, items = excluded.items, fetched_at = excluded.fetched_at
				""").param("run", run).param("pages", pageNos).param("now", Timestamp.from(now)).update();
	}

	/** Forgets the validators of pages only partly loaded, so load does not keep them for the next run. */
	public void dropEtags(UUID run, List<Integer> pageNos) {
		jdbc.sql("update etl_pages set etag = null where run_id = :run and page_no in (:pages)")
			.param("run", run)
			.param("pages", pageNos)
			.update();
	}

	public void saveEtag(String url, Etag etag, Instant now) {
		jdbc.sql("""
				insert into etl_etags (url, etag, next_url, total_count, items, fetched_at)
				values (:url, :etag, :next, :total, :items, :now)
				on conflict (url) do update set etag = excluded.etag, next_url = excluded.next_url,
				       total_count = excluded.total_count, items = excluded.items, fetched_at = excluded.fetched_at
				""")
			.param("url", url)
			.param("etag", etag.etag())
			.param("next", etag.nextUrl())
			.param("total", etag.totalCount())
			.param("items", etag.items())
			.param("now", Timestamp.from(now))
			.update();
	}

	// ---- mapping ------------------------------------------------------------------------------------------------

	static String sourceJson(EtlSource source) {
		ObjectNode node = JSON.createObjectNode();
		switch (source) {
			case EtlSource.Query q -> {
				node.put("query", q.query());
				if (q.sort() != null) {
					node.put("sort", q.sort());
				}
			}
			case EtlSource.Org o -> node.put("org", o.org());
			case EtlSource.User u -> node.put("user", u.user());
		}
		return JSON.writeValueAsString(node);
	}

	static EtlSource source(String json) {
		JsonNode node = JSON.readTree(json);
		if (node.has("query")) {
			return new EtlSource.Query(node.get("query").asString(), node.has("sort") ? node.get("sort").asString() : null);
		}
		if (node.has("org")) {
			return new EtlSource.Org(node.get("org").asString());
		}
		return new EtlSource.User(node.get("user").asString());
	}

	private static RunView view(ResultSet rs, int row) throws SQLException {
		return new RunView(rs.getObject("id", UUID.class), RunStatus.of(rs.getString("status")),
				source(rs.getString("source")), (Integer) rs.getObject("max_repositories"), (Integer) rs.getObject("expected"),
				new RunView.Counts(rs.getInt("pages"), rs.getInt("extracted"), both(rs, "transformed"),
						both(rs, "loaded"), both(rs, "inserted"), both(rs, "updated"), both(rs, "unchanged"),
						both(rs, "rejected"), rs.getInt("not_modified")),
				new RunView.RateLimit((Integer) rs.getObject("rate_remaining"), instant(rs, "rate_reset_at")),
				instant(rs, "waiting_until"), rs.getTimestamp("created_at").toInstant(), instant(rs, "started_at"),
				instant(rs, "finished_at"), rs.getString("error"));
	}

	private static int both(ResultSet rs, String count) throws SQLException {
		return rs.getInt(count) + rs.getInt("stage_" + count);
	}

	static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return timestamp == null ? null : timestamp.toInstant();
	}
}
