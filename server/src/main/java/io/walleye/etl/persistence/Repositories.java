package io.walleye.etl.persistence;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.walleye.etl.RepositoryView;
import io.walleye.platform.Cursor;

/** Reads of github_repositories and its snapshots for the API, the console and the overview. */
@Repository
public class Repositories {

	private final JdbcClient jdbc;

	public Repositories(EtlDatabase database) {
		this.jdbc = database.jdbc();
	}

	/**
	 * One page in stars or updated order, keyset on (sort key, github_id) descending; served by
	 * github_repositories_stars / _updated, or _language / _owner when those filters are given.
	 */
	public List<RepositoryView> list(RepositoryView.Filter filter, @Nullable Cursor after, int fetch) {
		boolean byStars = !"updated".equals(filter.sort());
		String key = byStars ? "stargazers_count" : "updated_at";
		String type = byStars ? "integer" : "timestamptz";
		String sql = """
				select * from github_repositories
				 where (:language::text is null or language = :language)
				   and (:owner::text is null or lower(owner_login) = lower(:owner))
				   and (:min_stars::integer is null or stargazers_count >= :min_stars)
				   and (:q::text is null or full_name ilike '%' || :q || '%' or description ilike '%' || :q || '%')
				   and (:after_key::text is null or (KEY, github_id) < (:after_key::TYPE, :after_id::bigint))
				 order by KEY desc, github_id desc
				 limit :fetch
				""".replace("KEY", key).replace("TYPE", type);
		return jdbc.sql(sql)
			.param("language", filter.language())
			.param("owner", filter.owner())
			.param("min_stars", filter.minStars())
			.param("q", filter.q() == null ? null : filter.q().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"))
			.param("after_key", after == null ? null : after.string(0))
			.param("after_id", after == null ? null : after.number(1))
			.param("fetch", fetch)
			.query(Repositories::view)
			.list();
	}

	public Optional<RepositoryView> byFullName(String fullName) {
		return jdbc.sql("select * from github_repositories where lower(full_name) = lower(:name) order by updated_at desc limit 1")
			.param("name", fullName)
			.query(Repositories::view)
			.optional();
	}

	public List<RepositoryView.Snapshot> history(long githubId) {
		return jdbc.sql("""
				select captured_at, run_id, stargazers_count, forks_count from github_repository_snapshots
				 where github_id = :id order by captured_at
				""")
			.param("id", githubId)
			.query((rs, n) -> new RepositoryView.Snapshot(rs.getTimestamp(1).toInstant(),
					rs.getObject(2, java.util.UUID.class), rs.getInt(3), rs.getInt(4)))
			.list();
	}

	public long count() {
		return jdbc.sql("select count(*) from github_repositories").query(Long.class).single();
	}

	public List<RepositoryView.Group> byLanguage(int limit) {
		return jdbc.sql("""
				select language, count(*), coalesce(sum(stargazers_count), 0) from github_repositories
				 group by language order by 3 desc, 2 desc limit :limit
				""")
			.param("limit", limit)
			.query((rs, n) -> new RepositoryView.Group(rs.getString(1), rs.getLong(2), rs.getLong(3)))
			.list();
	}

	public List<RepositoryView.Group> byOwner(int limit) {
		return jdbc.sql("""
				select owner_login, count(*), coalesce(sum(stargazers_count), 0) from github_repositories
				 group by owner_login order by 3 desc, 2 desc limit :limit
				""")
			.param("limit", limit)
			.query((rs, n) -> new RepositoryView.Group(rs.getString(1), rs.getLong(2), rs.getLong(3)))
			.list();
	}

	private static RepositoryView view(ResultSet rs, int row) throws SQLException {
		Array topics = rs.getArray("topics");
		Timestamp pushed = rs.getTimestamp("pushed_at");
		return new RepositoryView(rs.getLong("github_id"), rs.getString("full_name"), rs.getString("owner_login"),
				rs.getString("owner_type"), rs.getString("name"), rs.getString("description"),
				rs.getString("html_url"), rs.getString("homepage"), rs.getString("language"),
				topics == null ? List.of() : Arrays.asList((String[]) topics.getArray()), rs.getString("license_spdx"),
				rs.getInt("stargazers_count"), rs.getInt("forks_count"), rs.getInt("open_issues_count"),
				rs.getInt("watchers_count"), rs.getString("default_branch"), rs.getBoolean("fork"),
				rs.getBoolean("archived"), rs.getInt("size_kb"), rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("updated_at").toInstant(), pushed == null ? null : pushed.toInstant(),
				rs.getTimestamp("loaded_at").toInstant());
	}
}
