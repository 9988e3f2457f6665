package io.walleye.eye.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.walleye.platform.Cursor;

/** The event types table: one JSON Schema per category + name. */
@Repository
public class EventTypes {

	private final JdbcClient jdbc;

	EventTypes(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public record Row(String category, String name, String schema, Instant createdAt, Instant updatedAt) {
	}

	public List<Row> all() {
		return jdbc.sql("""
				select category, name, schema::text as schema, created_at, updated_at
				from eye_event_types order by category, name
				""").query(EventTypes::row).list();
	}

	/** A page in (category, name) order, after the cursor's type: keyset on the primary key. */
	public List<Row> page(@Nullable Cursor after, int fetch) {
		String keyset = after == null ? "" : "where (category, name) > (:afterCategory, :afterName)";
		var spec = jdbc.sql("""
				select category, name, schema::text as schema, created_at, updated_at
				from eye_event_types %s
				order by category, name limit :fetch
				""".formatted(keyset)).param("fetch", fetch);
		if (after != null) {
			spec = spec.param("afterCategory", after.string(0)).param("afterName", after.string(1));
		}
		return spec.query(EventTypes::row).list();
	}

	public Optional<Row> find(String category, String name) {
		return jdbc.sql("""
				select category, name, schema::text as schema, created_at, updated_at
				from eye_event_types where category = :category and name = :name
				""").param("category", category).param("name", name).query(EventTypes::row).optional();
	}

	/** True when the type was created, false when replaced. */
	public boolean upsert(String category, String name, String schema, Instant now) {
		return Boolean.TRUE.equals(jdbc.sql("""
				insert into eye_event_types (category, name, schema, created_at, updated_at)
				values (:category, :name, :schema::jsonb, :now, :now)
				on conflict (category, name) do update set schema = excluded.schema, updated_at = excluded.updated_at
				returning (xmax = 0) as created
				""")
			.param("category", category)
			.param("name", name)
			.param("schema", schema)
			.param("now", Timestamp.from(now))
			.query(Boolean.class)
			.single());
	}

	public boolean delete(String category, String name) {
		return jdbc.sql("delete from eye_event_types where category = :category and name = :name")
			.param("category", category)
			.param("name", name)
			.update() == 1;
	}

	private static Row row(ResultSet rs, int row) throws SQLException {
		return new Row(rs.getString("category"), rs.getString("name"), rs.getString("schema"),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}
}
