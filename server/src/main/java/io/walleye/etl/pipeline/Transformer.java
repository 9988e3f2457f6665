package io.walleye.etl.pipeline;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import io.walleye.etl.persistence.EtlDatabase;
import io.walleye.etl.persistence.Runs;

/**
 * Transform: takes one extracted page, writes its typed rows to etl_staged (a repository seen twice in a run is
 * staged once) and the records it cannot read to etl_rejects with the reason, and marks the page transformed — one
 * transaction, so the page is transformed exactly once whatever happens to the worker.
 */
@Component
class Transformer {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final EtlDatabase db;

	private final Runs runs;

	private final EtlMetrics metrics;

	private final Clock clock;

	Transformer(EtlDatabase db, Runs runs, EtlMetrics metrics, Clock clock) {
		this.db = db;
		this.runs = runs;
		this.metrics = metrics;
		this.clock = clock;
	}

	record Result(int staged, int rejected) {
	}

	/** One page's rows and rejects, read before the transaction. */
	private record Read(int pageNo, List<RepositoryRow> rows, List<String[]> rejects) {
	}

	/** Transforms the given extracted pages (in page order) in one transaction: fewer commits when load lags. */
	Result transform(Runs.Claimed run, List<Runs.PendingPage> pages) {
		List<Read> reads = new ArrayList<>();
		for (Runs.PendingPage page : pages) {
			reads.add(read(page.pageNo(), page.body() == null ? "[]" : page.body()));
		}
		Result result = db.write("etl.transform.pages", () -> {
			int room = run.maxRepositories() == null ? Integer.MAX_VALUE
					: Math.max(0, run.maxRepositories() - runs.transformed(run.id()));
			int staged = 0;
			int rejected = 0;
			List<Integer> cut = new ArrayList<>();
			for (Read read : reads) {
				List<RepositoryRow> kept = read.rows().size() > room ? read.rows().subList(0, room) : read.rows();
				if (kept.size() < read.rows().size()) {
					cut.add(read.pageNo());
				}
				int added = kept.isEmpty() ? 0 : stage(run.id(), read.pageNo(), kept);
				room -= kept.size();
				staged += added;
				for (String[] reject : read.rejects()) {
					db.jdbc().sql("""
							insert into etl_rejects (run_id, page_no, reason, record, created_at)
							values (:run, :page, :reason, :record, :now)
							""")
						.param("run", run.id())
						.param("page", read.pageNo())
						.param("reason", reject[0])
						.param("record", reject[1])
						.param("now", Timestamp.from(clock.instant()))
						.update();
				}
				rejected += read.rejects().size();
			}
			if (!cut.isEmpty()) {
				// max_repositories left rows of these pages out: a later run must fetch them again, not get a 304.
				runs.dropEtags(run.id(), cut);
			}
			runs.pageStage(run.id(), reads.stream().map(Read::pageNo).toList(), "transformed");
			runs.count(run.id(), "transform", staged, rejected, 0, 0, 0, 0);
			return new Result(staged, rejected);
		});
		metrics.rejected(result.rejected());
		return result;
	}

	private static Read read(int pageNo, String body) {
		JsonNode node;
		try {
			node = JSON.readTree(body);
		}
		catch (tools.jackson.core.JacksonException ex) {
			List<String[]> rejects = new ArrayList<>();
			rejects.add(new String[] { "page is not valid JSON", abbreviate(body) });
			return new Read(pageNo, List.of(), rejects);
		}
		JsonNode items = node.isObject() ? node.path("items") : node;
		List<RepositoryRow> rows = new ArrayList<>();
		List<String[]> rejects = new ArrayList<>();
		if (!items.isArray()) {
			rejects.add(new String[] { "page is neither a list of repositories nor a search result", abbreviate(body) });
		}
		else {
			for (JsonNode item : items) {
				switch (Transform.of(item)) {
					case Transform.Row row -> rows.add(row.row());
					case Transform.Reject reject -> rejects.add(new String[] { reject.reason(), abbreviate(item.toString()) });
				}
			}
		}
		return new Read(pageNo, rows, rejects);
	}

	/**
	 * All rows of the page in one statement: one PostgreSQL array literal per column, unnested. The server only runs
	 * each column type's input function on its elements, cheaper than parsing a JSON document of the rows and
	 * converting its fields (jsonb_to_recordset), and PostgreSQL's CPU is what limits a run.
	 */
	private int stage(UUID run, int pageNo, List<RepositoryRow> rows) {
		Map<String, Object> columns = new LinkedHashMap<>();
		columns.put("github_id", array(rows, RepositoryRow::githubId));
		columns.put("full_name", array(rows, RepositoryRow::fullName));
		columns.put("owner_login", array(rows, RepositoryRow::ownerLogin));
		columns.put("owner_type", array(rows, RepositoryRow::ownerType));
		columns.put("name", array(rows, RepositoryRow::name));
		columns.put("description", array(rows, RepositoryRow::description));
		columns.put("html_url", array(rows, RepositoryRow::htmlUrl));
		columns.put("homepage", array(rows, RepositoryRow::homepage));
		columns.put("language", array(rows, RepositoryRow::language));
		// text[] per row: each element is itself an array literal, cast row by row below
		columns.put("topics", array(rows, row -> literal(row.topics())));
		columns.put("license_spdx", array(rows, RepositoryRow::licenseSpdx));
		columns.put("stargazers_count", array(rows, RepositoryRow::stargazersCount));
		columns.put("forks_count", array(rows, RepositoryRow::forksCount));
		columns.put("open_issues_count", array(rows, RepositoryRow::openIssuesCount));
		columns.put("watchers_count", array(rows, RepositoryRow::watchersCount));
		columns.put("default_branch", array(rows, RepositoryRow::defaultBranch));
		columns.put("fork", array(rows, RepositoryRow::fork));
		columns.put("archived", array(rows, RepositoryRow::archived));
		columns.put("size_kb", array(rows, RepositoryRow::sizeKb));
		columns.put("created_at", array(rows, RepositoryRow::createdAt));
		columns.put("updated_at", array(rows, RepositoryRow::updatedAt));
		columns.put("pushed_at", array(rows, RepositoryRow::pushedAt));
		return db.jdbc().sql("""
				insert into etl_staged (run_id, page_no, github_id, full_name, owner_login, owner_type, name, description,
				       html_url, homepage, language, topics, license_spdx, stargazers_count, forks_count,
				       open_issues_count, watchers_count, default_branch, fork, archived, size_kb, created_at,
				       updated_at, pushed_at)
				select :run, :page, github_id, full_name, owner_login, owner_type, name, description, html_url, homepage,
				       language, topics::text[], license_spdx, stargazers_count, forks_count, open_issues_count,
				       watchers_count, default_branch, fork, archived, size_kb, created_at, updated_at, pushed_at
				  from unnest(:github_id::bigint[], :full_name::text[], :owner_login::text[], :owner_type::text[],
				              :name::text[], :description::text[], :html_url::text[], :homepage::text[],
				              :language::text[], :topics::text[], :license_spdx::text[], :stargazers_count::integer[],
				              :forks_count::integer[], :open_issues_count::integer[], :watchers_count::integer[],
				              :default_branch::text[], :fork::boolean[], :archived::boolean[], :size_kb::integer[],
				              :created_at::timestamptz[], :updated_at::timestamptz[], :pushed_at::timestamptz[])
				       as r(github_id, full_name, owner_login, owner_type, name, description, html_url, homepage,
				            language, topics, license_spdx, stargazers_count, forks_count, open_issues_count,
				            watchers_count, default_branch, fork, archived, size_kb, created_at, updated_at, pushed_at)
				on conflict (run_id, github_id) do nothing
				""").param("run", run).param("page", pageNo).params(columns).update();
	}

	private static String array(List<RepositoryRow> rows, Function<RepositoryRow, @Nullable Object> column) {
		List<@Nullable Object> values = new ArrayList<>(rows.size());
		for (RepositoryRow row : rows) {
			values.add(column.apply(row));
		}
		return literal(values);
	}

	/** A PostgreSQL array literal: every element quoted (any type's input accepts that), null as NULL. */
	static String literal(List<? extends @Nullable Object> values) {
		StringBuilder out = new StringBuilder(values.size() * 16 + 2).append('{');
		for (int i = 0; i < values.size(); i++) {
			if (i > 0) {
				out.append(',');
			}
			Object value = values.get(i);
			if (value == null) {
				out.append("NULL");
				continue;
			}
			String text = value.toString();
			out.append('"');
			for (int c = 0; c < text.length(); c++) {
				char ch = text.charAt(c);
				if (ch == '"' || ch == '\\') {
					out.append('\\');
				}
				out.append(ch);
			}
			out.append('"');
		}
		return out.append('}').toString();
	}

	private static String abbreviate(String text) {
		return text.length() > 4000 ? text.substring(0, 4000) + "…" : text;
	}
}
