package io.walleye.eye.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.walleye.platform.Cursor;

/** The applications table. */
@Repository
public class Applications {

	private final JdbcClient jdbc;

	Applications(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public record Row(UUID id, String name, Instant createdAt) {
	}

	/** False when the name is taken. */
	public boolean insert(UUID id, String name, Instant createdAt) {
		return jdbc.sql("""
				insert into eye_applications (id, name, created_at) values (:id, :name, :createdAt)
				on conflict (name) do nothing
				""").param("id", id).param("name", name).param("createdAt", java.sql.Timestamp.from(createdAt))
			.update() == 1;
	}

	public Optional<Row> find(UUID id) {
		return jdbc.sql("select id, name, created_at from eye_applications where id = :id")
			.param("id", id)
			.query(Applications::row)
			.optional();
	}

	public Optional<Row> findByName(String name) {
		return jdbc.sql("select id, name, created_at from eye_applications where name = :name")
			.param("name", name)
			.query(Applications::row)
			.optional();
	}

	/** Newest first, keyset on (created_at, id). */
	public List<Row> page(@Nullable Cursor after, int fetch) {
		if (after == null) {
			return jdbc.sql("""
					select id, name, created_at from eye_applications
					order by created_at desc, id desc limit :fetch
					""").param("fetch", fetch).query(Applications::row).list();
		}
		return jdbc.sql("""
				select id, name, created_at from eye_applications
				where (created_at, id) < (:at, :id)
				order by created_at desc, id desc limit :fetch
				""")
			.param("at", java.sql.Timestamp.from(after.instant(0)))
			.param("id", after.uuid(1))
			.param("fetch", fetch)
			.query(Applications::row)
			.list();
	}

	private static Row row(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new Row(rs.getObject("id", UUID.class), rs.getString("name"), rs.getTimestamp("created_at").toInstant());
	}
}
