package io.walleye.eye.persistence;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The publishable keys table: keys a website's pages carry, each locked to its origins. */
@Repository
public class PublishableKeys {

	private static final String COLUMNS = "id, application_id, key, allowed_origins, created_at, revoked_at";

	private final JdbcClient jdbc;

	PublishableKeys(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public record Row(UUID id, UUID applicationId, String key, List<String> allowedOrigins, Instant createdAt,
			@Nullable Instant revokedAt) {
	}

	public void insert(Row row) {
		jdbc.sql("""
				insert into eye_publishable_keys (id, application_id, key, allowed_origins, created_at)
				values (:id, :app, :key, :origins, :createdAt)
				""")
			.param("id", row.id())
			.param("app", row.applicationId())
			.param("key", row.key())
			.param("origins", row.allowedOrigins().toArray(String[]::new))
			.param("createdAt", Timestamp.from(row.createdAt()))
			.update();
	}

	/** An application's keys, newest first (an application has a handful: one per site or environment). */
	public List<Row> ofApplication(UUID applicationId) {
		return jdbc.sql("select " + COLUMNS
				+ " from eye_publishable_keys where application_id = :app order by created_at desc, id desc")
			.param("app", applicationId)
			.query(PublishableKeys::row)
			.list();
	}

	/** A live (not revoked) key by its text. */
	public Optional<Row> live(String key) {
		return jdbc.sql("select " + COLUMNS + " from eye_publishable_keys where key = :key and revoked_at is null")
			.param("key", key)
			.query(PublishableKeys::row)
			.optional();
	}

	/** Whether any live key allows the origin: what a CORS preflight, which carries no key, can be told. */
	public boolean anyLiveAllows(String origin) {
		// No index on the array: live keys are few (a handful per application) and the answer is cached.
		return jdbc.sql("""
				select exists (select 1 from eye_publishable_keys
				               where revoked_at is null and :origin = any (allowed_origins))
				""").param("origin", origin).query(Boolean.class).single();
	}

	/** False when the application has no live key with that id. */
	public boolean revoke(UUID applicationId, UUID id, Instant at) {
		return jdbc.sql("""
				update eye_publishable_keys set revoked_at = :at
				where application_id = :app and id = :id and revoked_at is null
				""").param("at", Timestamp.from(at)).param("app", applicationId).param("id", id).update() == 1;
	}

	private static Row row(ResultSet rs, int row) throws SQLException {
		Array origins = rs.getArray("allowed_origins");
		Timestamp revoked = rs.getTimestamp("revoked_at");
		return new Row(rs.getObject("id", UUID.class), rs.getObject("application_id", UUID.class), rs.getString("key"),
				Arrays.asList((String[]) origins.getArray()), rs.getTimestamp("created_at").toInstant(),
				revoked == null ? null : revoked.toInstant());
	}
}
