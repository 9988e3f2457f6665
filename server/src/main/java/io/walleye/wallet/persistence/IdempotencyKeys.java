package io.walleye.wallet.persistence;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Idempotency-Key records: the request's hash and, once done, the response to replay. */
@Repository
public class IdempotencyKeys {

	public record Stored(byte[] requestHash, @Nullable Integer status, @Nullable String contentType,
			@Nullable String body) {
	}

	private final JdbcClient jdbc;

	IdempotencyKeys(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Claims the key inside the current transaction. While another transaction holds an uncommitted claim this waits
	 * (at most {@code wait}, then PostgreSQL raises lock_not_available); false when the key was already used.
	 */
	public boolean claim(UUID principalId, String key, byte[] requestHash, Instant now, Duration wait) {
		jdbc.sql("select set_config('lock_timeout', :timeout, true)")
			.param("timeout", wait.toMillis() + "ms")
			.query(String.class)
			.single();
		boolean claimed = jdbc.sql("""
				insert into idempotency_keys (principal_id, key, request_hash, created_at)
				values (:principal, :key, :hash, :now)
				on conflict do nothing
				""")
			.param("principal", principalId)
			.param("key", key)
			.param("hash", requestHash)
			.param("now", Timestamp.from(now))
			.update() == 1;
		jdbc.sql("select set_config('lock_timeout', '0', true)").query(String.class).single();
		return claimed;
	}

	public Optional<Stored> find(UUID principalId, String key) {
		return jdbc.sql("""
				select request_hash, status, content_type, body from idempotency_keys
				 where principal_id = :principal and key = :key
				""")
			.param("principal", principalId)
			.param("key", key)
			.query((rs, n) -> new Stored(rs.getBytes("request_hash"), (Integer) rs.getObject("status"),
					rs.getString("content_type"), rs.getString("body")))
			.optional();
	}

	public void complete(UUID principalId, String key, int status, String contentType, String body) {
		jdbc.sql("""
				update idempotency_keys set status = :status, content_type = :contentType, body = :body
				 where principal_id = :principal and key = :key
				""")
			.param("principal", principalId)
			.param("key", key)
			.param("status", status)
			.param("contentType", contentType)
			.param("body", body)
			.update();
	}

	/**
	 * Deletes up to {@code limit} finished keys created before {@code cutoff}, oldest first; the number deleted. Keys
	 * still being executed (no response yet) are left to their transaction.
	 */
	public int deleteCreatedBefore(Instant cutoff, int limit) {
		return jdbc.sql("""
				delete from idempotency_keys
				 where (principal_id, key) in (select principal_id, key from idempotency_keys
				                                where created_at < :cutoff and status is not null
				                                order by created_at limit :limit)
				""")
			.param("cutoff", Timestamp.from(cutoff))
			.param("limit", limit)
			.update();
	}
}
