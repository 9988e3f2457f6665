package io.walleye.etl.pipeline;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

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
			List<Integer> still = runs.lockPagesIn(run.id(), reads.stream().map(Read::pageNo).toList(), "extracted");
			if (still.isEmpty()) {
				return new Result(0, 0);
			}
			List<Read> toStage = reads.stream().filter(read -> still.contains(read.pageNo())).toList();
			int room = run.maxRepositories() == null ? Integer.MAX_VALUE
					: Math.max(0, run.maxRepositories() - runs.transformed(run.id()));
			int staged = 0;
			int rejected = 0;
			List<Integer> cut = new ArrayList<>();
			for (Read read : toStage) {
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
			runs.pageStage(run.id(), still, "transformed");
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

	/** All rows of the page in one statement: a JSON array read by jsonb_to_recordset, so one round trip per page. */
	private int stage(UUID run, int pageNo, List<RepositoryRow> rows) {
		ArrayNode array = JSON.createArrayNode();
		for (RepositoryRow row : rows) {
			ObjectNode o = array.addObject();
			o.put("github_id", row.githubId());
			o.put("full_name", row.fullName());
			o.put("owner_login", row.ownerLogin());
			o.put("owner_type", row.ownerType());
			o.put("name", row.name());
			o.put("description", row.description());
			o.put("html_url", row.htmlUrl());
			o.put("homepage", row.homepage());
			o.put("language", row.language());
			ArrayNode topics = o.putArray("topics");
			row.topics().forEach(topics::add);
			o.put("license_spdx", row.licenseSpdx());
			o.put("stargazers_count", row.stargazersCount());
			o.put("forks_count", row.forksCount());
			o.put("open_issues_count", row.openIssuesCount());
			o.put("watchers_count", row.watchersCount());
			o.put("default_branch", row.defaultBranch());
			o.put("fork", row.fork());
			o.put("archived", row.archived());
			o.put("size_kb", row.sizeKb());
			o.put("created_at", row.createdAt().toString());
			o.put("updated_at", row.updatedAt().toString());
			o.put("pushed_at", row.pushedAt() == null ? null : row.pushedAt().toString());
		}
		return db.jdbc().sql("""
				insert into etl_staged (run_id, page_no, github_id, full_name, owner_login, owner_type, name, description,
				       html_url, homepage, language, topics, license_spdx, stargazers_count, forks_count,
				       open_issues_count, watchers_count, default_branch, fork, archived, size_kb, created_at,
				       updated_at, pushed_at)
				select :run, :page, r.* from jsonb_to_recordset(:rows::jsonb) as r(github_id bigint, full_name text,
				       owner_login text, owner_type text, name text, description text, html_url text, homepage text,
				       language text, topics text[], license_spdx text, stargazers_count integer, forks_count integer,
				       open_issues_count integer, watchers_count integer, default_branch text, fork boolean,
				       archived boolean, size_kb integer, created_at timestamptz, updated_at timestamptz,
				       pushed_at timestamptz)
				on conflict (run_id, github_id) do nothing
				""").param("run", run).param("page", pageNo).param("rows", JSON.writeValueAsString(array)).update();
	}

	private static String abbreviate(String text) {
		return text.length() > 4000 ? text.substring(0, 4000) + "…" : text;
	}
}
