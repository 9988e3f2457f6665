package io.walleye.identity.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Operators: the people who run Walleye, with bcrypt password hashes. */
@Repository
public class Operators {

	public record Operator(UUID id, String username, String passwordHash) {
	}

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
		return jdbc.sql("select id, username, password_hash from operators where username = :username")
			.param("username", username)
			.query((rs, row) -> new Operator(rs.getObject("id", UUID.class), rs.getString("username"),
					rs.getString("password_hash")))
			.optional();
	}

	public Optional<String> usernameOf(UUID id) {
		return jdbc.sql("select username from operators where id = :id").param("id", id).query(String.class).optional();
	}
}
