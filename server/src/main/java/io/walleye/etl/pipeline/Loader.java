package io.walleye.etl.pipeline;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;

import io.walleye.etl.persistence.EtlDatabase;
import io.walleye.etl.persistence.Runs;

/**
 * Load: upserts one transformed page's staged rows into github_repositories — a row changes only when the source's
 * updated_at is newer — records each repository's stars and forks for this run, counts inserted/updated/unchanged,
 * remembers the page's ETag and marks the page loaded, all in one transaction (the page's checkpoint).
 */
@Component
class Loader {

	private final EtlDatabase db;

	private final Runs runs;

	private final EtlMetrics metrics;

	private final Clock clock;

	Loader(EtlDatabase db, Runs runs, EtlMetrics metrics, Clock clock) {
		this.db = db;
		this.runs = runs;
		this.metrics = metrics;
		this.clock = clock;
	}

	record Result(int staged, int inserted, int updated) {

		int unchanged() {
			return staged - inserted - updated;
		}
	}

	/** Loads the given transformed pages in one transaction. */
	Result load(Runs.Claimed run, List<Integer> pageNos) {
		Instant now = clock.instant();
		Result result = db.write("etl.load.pages", () -> {
			List<Integer> pages = runs.lockPagesIn(run.id(), pageNos, "transformed");
			if (pages.isEmpty()) {
				return new Result(0, 0, 0);
			}
			Result counts = db.jdbc().sql("""
					with staged_rows as (
					    select * from etl_staged where run_id = :run and page_no in (:pages)
					), documents as (
					    -- Only pages with staged rows: a page transform rejected whole may not even be JSON.
					    select body::jsonb as doc from etl_pages
					     where run_id = :run and page_no in (select distinct page_no from staged_rows)
					), raw_records as (
					    select distinct on (github_id) github_id, item as raw
					      from (select case when jsonb_typeof(item -> 'id') = 'number'
					                        then (item ->> 'id')::numeric::bigint end as github_id, item
					              from documents,
					                   jsonb_array_elements(case when jsonb_typeof(doc) = 'object' then doc -> 'items'
					                                             else doc end) as item) records
					     where github_id is not null
					), staged as (
					    select s.*, coalesce(r.raw, '{}'::jsonb) as raw
					      from staged_rows s left join raw_records r using (github_id)
					), upserted as (
					    insert into github_repositories as g (github_id, full_name, owner_login, owner_type, name,
					           description, html_url, homepage, language, topics, license_spdx, stargazers_count,
					           forks_count, open_issues_count, watchers_count, default_branch, fork, archived, size_kb,
					           created_at, updated_at, pushed_at, raw, loaded_at, last_run_id)
					    select github_id, full_name, owner_login, owner_type, name, description, html_url, homepage,
					           language, topics, license_spdx, stargazers_count, forks_count, open_issues_count,
					           watchers_count, default_branch, fork, archived, size_kb, created_at, updated_at, pushed_at,
					           raw, :now, :run
					      from staged
					    on conflict (github_id) do update set
					           full_name = excluded.full_name, owner_login = excluded.owner_login,
					           owner_type = excluded.owner_type, name = excluded.name,
					           description = excluded.description, html_url = excluded.html_url,
					           homepage = excluded.homepage, language = excluded.language, topics = excluded.topics,
					           license_spdx = excluded.license_spdx, stargazers_count = excluded.stargazers_count,
					           forks_count = excluded.forks_count, open_issues_count = excluded.open_issues_count,
					           watchers_count = excluded.watchers_count, default_branch = excluded.default_branch,
					           fork = excluded.fork, archived = excluded.archived, size_kb = excluded.size_kb,
					           created_at = excluded.created_at, updated_at = excluded.updated_at,
					           pushed_at = excluded.pushed_at, raw = excluded.raw, loaded_at = excluded.loaded_at,
					           last_run_id = excluded.last_run_id
					     where excluded.updated_at > g.updated_at
					    returning (xmax = 0) as inserted
					), snapshots as (
					    insert into github_repository_snapshots (github_id, run_id, captured_at, stargazers_count, forks_count)
					    select github_id, :run, :now, stargazers_count, forks_count from staged
					    on conflict do nothing
					)
					select (select count(*) from staged)::int as staged,
					       (select count(*) from upserted where inserted)::int as inserted,
					       (select count(*) from upserted where not inserted)::int as updated
					""")
				.param("run", run.id())
				.param("pages", pages)
				.param("now", Timestamp.from(now))
				.query((rs, n) -> new Result(rs.getInt("staged"), rs.getInt("inserted"), rs.getInt("updated")))
				.single();
			runs.saveEtagOfPages(run.id(), pages, now);
			runs.pageStage(run.id(), pages, "loaded");
			runs.count(run.id(), "load", 0, 0, counts.staged(), counts.inserted(), counts.updated(), counts.unchanged());
			return counts;
		});
		metrics.upserted(result.inserted(), result.updated(), result.unchanged());
		return result;
	}
}
