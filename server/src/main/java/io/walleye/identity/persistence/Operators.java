package io.walleye.identity.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.walleye.identity.OperatorView;
import io.walleye.platform.Cursor;

/** Operators: the people who run Walleye, with bcrypt password hashes. */
@Repository
public class Operators {

	public record Operator(UUID id, String username, String passwordHash, @Nullable Instant disabledAt) {

		public boolean enabled() {
			return disabledAt == null;
		}
	}

	private static final String COLUMNS = "id, username, created_at, disabled_at";

	private final JdbcClient jdbc;

	Operators(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Creates the operator unless one of that name exists; true when it was created. */
	public boolean createIfAbsent(UUID id, String username, String passwordHash, Instant now) {
		return jdbc.sql("""
				insert into operators (id, username, password_hash, created_at) values (:id, :username, :hash, :now)
				on conflict (username) do nothing
				""")
			.param("id", id)
			.param("username", username)
			.param("hash", passwordHash)
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	public Optional<Operator> findByUsername(String username) {
		return jdbc.sql("select id, username, password_hash, disabled_at from operators where username = :username")
			.param("username", username)
			.query(Operators::operator)
			.optional();
	}

	/** The operator's row, locked until the transaction ends. */
	public Optional<Operator> lock(UUID id) {
		return jdbc.sql("select id, username, password_hash, disabled_at from operators where id = :id for update")
			.param("id", id)
			.query(Operators::operator)
			.optional();
	}

	/**
	 * Locks every enabled operator (in id order, so that two operators disabling each other queue instead of
	 * deadlocking) and returns their ids: "is this the last enabled operator?" is decided on this set.
	 */
	public List<UUID> lockEnabled() {
		return jdbc.sql("select id from operators where disabled_at is null order by id for update")
			.query((rs, row) -> rs.getObject(1, UUID.class))
			.list();
	}

	public void disable(UUID id, Instant now) {
		jdbc.sql("update operators set disabled_at = :now where id = :id and disabled_at is null")
			.param("id", id)
			.param("now", Timestamp.from(now))
			.update();
	}

	public void enable(UUID id) {
		jdbc.sql("update operators set disabled_at = null where id = :id and disabled_at is not null")
			.param("id", id)
			.update();
	}

	public void setPassword(UUID id, String passwordHash, Instant now) {
		jdbc.sql("update operators set password_hash = :hash, password_changed_at = :now where id = :id")
			.param("id", id)
			.param("hash", passwordHash)
			.param("now", Timestamp.from(now))
			.update();
	}

	public Optional<String> usernameOf(UUID id) {
		return jdbc.sql("select username from operators where id = :id").param("id", id).query(String.class).optional();
	}

	public Optional<OperatorView> find(UUID id) {
		return jdbc.sql("select " + COLUMNS + " from operators where id = :id")
			.param("id", id)
			.query(Operators::view)
			.optional();
	}

	/** Oldest first, keyset on (created_at, id) (index operators_created). */
	public List<OperatorView> page(@Nullable Cursor after, int fetch) {
		if (after == null) {
			return jdbc.sql("select " + COLUMNS + " from operators order by created_at, id limit :fetch")
				.param("fetch", fetch)
				.query(Operators::view)
				.list();
		}
		return jdbc.sql("select " + COLUMNS + """
				 from operators where (created_at, id) > (:at, :id) order by created_at, id limit :fetch
				""")
			.param("at", Timestamp.from(after.instant(0)))
			.param("id", after.uuid(1))
			.param("fetch", fetch)
			.query(Operators::view)
			.list();
	}

	private static Operator operator(ResultSet rs, int row) throws SQLException {
		return new Operator(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("password_hash"),
				instant(rs.getTimestamp("disabled_at")));
	}

	private static OperatorView view(ResultSet rs, int row) throws SQLException {
		return new OperatorView(rs.getObject("id", UUID.class), rs.getString("username"),
				rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("disabled_at")));
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}
}
