package io.walleye.wallet.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.walleye.wallet.Owner;

/** Customers and businesses: two tables of the same shape, chosen by {@code type}. */
@Repository
public class Owners {

	private final JdbcClient jdbc;

	Owners(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** False when the email is taken for that kind of owner. */
	public boolean insert(String type, UUID id, String name, String email, Instant now) {
		return jdbc.sql("insert into " + table(type) + """
				 (id, name, email, created_at) values (:id, :name, :email, :now)
				on conflict do nothing
				""")
			.param("id", id)
			.param("name", name)
			.param("email", email)
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	public Optional<Owner> find(String type, UUID id) {
		return jdbc.sql("select id, name, email, created_at from " + table(type) + " where id = :id")
			.param("id", id)
			.query((rs, n) -> owner(type, rs))
			.optional();
	}

	/** Newest first; {@code q} matches name or email (case-insensitive) when given. */
	public List<Owner> list(String type, String q, int limit) {
		return jdbc.sql("select id, name, email, created_at from " + table(type) + """
				 where :q = '' or name ilike :like or email ilike :like or id::text = :q
				order by created_at desc, id desc limit :limit
				""")
			.param("q", q)
			.param("like", "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
			.param("limit", limit)
			.query((rs, n) -> owner(type, rs))
			.list();
	}

	public long count(String type) {
		return jdbc.sql("select count(*) from " + table(type)).query(Long.class).single();
	}

	private static Owner owner(String type, ResultSet rs) throws SQLException {
		return new Owner(rs.getObject("id", UUID.class), type, rs.getString("name"), rs.getString("email"),
				rs.getTimestamp("created_at").toInstant());
	}

	private static String table(String type) {
		return switch (type) {
			case "customer" -> "customers";
			case "business" -> "businesses";
			default -> throw new IllegalArgumentException(type);
		};
	}
}
