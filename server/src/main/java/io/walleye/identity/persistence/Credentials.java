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

import io.walleye.identity.ApiKeyView;
import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;
import io.walleye.platform.Cursor;

/** Bearer credentials (API keys and operators' access tokens), stored only as SHA-256 of the secret. */
@Repository
public class Credentials {

	public static final String API_KEY = "api_key";

	public static final String ACCESS_TOKEN = "access_token";

	private final JdbcClient jdbc;

	Credentials(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void insert(UUID id, String kind, PrincipalType type, UUID principalId, String prefix, byte[] secretHash,
			Instant createdAt, @Nullable Instant expiresAt) {
		jdbc.sql("""
				insert into credentials (id, kind, principal_type, principal_id, prefix, secret_hash, created_at, expires_at)
				values (:id, :kind, :type, :principalId, :prefix, :hash, :createdAt, :expiresAt)
				""")
			.param("id", id)
			.param("kind", kind)
			.param("type", type.dbValue())
			.param("principalId", principalId)
			.param("prefix", prefix)
			.param("hash", secretHash)
			.param("createdAt", Timestamp.from(createdAt))
			.param("expiresAt", expiresAt == null ? null : Timestamp.from(expiresAt))
			.update();
	}

	/**
	 * The live (unrevoked, unexpired) credential with this secret hash; an access token of a disabled operator is not
	 * live, whatever its own row says.
	 */
	public Optional<Principal> findLive(byte[] secretHash, Instant now) {
		return jdbc.sql("""
				select c.id, c.principal_type, c.principal_id, c.expires_at from credentials c
				where c.secret_hash = :hash and c.revoked_at is null and (c.expires_at is null or c.expires_at > :now)
				  and not exists (select 1 from operators o
				                  where c.principal_type = 'operator' and o.id = c.principal_id and o.disabled_at is not null)
				""")
			.param("hash", secretHash)
			.param("now", Timestamp.from(now))
			.query((rs, row) -> {
				Timestamp expires = rs.getTimestamp("expires_at");
				return new Principal(PrincipalType.fromDb(rs.getString("principal_type")),
						rs.getObject("principal_id", UUID.class), rs.getObject("id", UUID.class),
						expires == null ? null : expires.toInstant());
			})
			.optional();
	}

	/** Revokes one credential; its secret hash, so the caller can forget it in the cache, when it was live. */
	public Optional<byte[]> revoke(UUID credentialId, Instant now) {
		return jdbc.sql("update credentials set revoked_at = :now where id = :id and revoked_at is null returning secret_hash")
			.param("id", credentialId)
			.param("now", Timestamp.from(now))
			.query((rs, row) -> rs.getBytes(1))
			.optional();
	}

	/** Revokes every live credential of a principal (a disabled operator's access tokens); their secret hashes. */
	public List<byte[]> revokeAll(PrincipalType type, UUID principalId, Instant now) {
		return jdbc.sql("""
				update credentials set revoked_at = :now
				where principal_type = :type and principal_id = :principalId and revoked_at is null
				returning secret_hash
				""")
			.param("type", type.dbValue())
			.param("principalId", principalId)
			.param("now", Timestamp.from(now))
			.query((rs, row) -> rs.getBytes(1))
			.list();
	}

	/**
	 * Locks the principal's live API keys (in id order, so concurrent revocations queue instead of deadlocking) and
	 * returns their ids: what "is this the last key?" must be decided on.
	 */
	public List<UUID> lockLiveApiKeys(PrincipalType type, UUID principalId) {
		return jdbc.sql("""
				select id from credentials
				where kind = 'api_key' and principal_type = :type and principal_id = :principalId and revoked_at is null
				order by id
				for update
				""")
			.param("type", type.dbValue())
			.param("principalId", principalId)
			.query((rs, row) -> rs.getObject(1, UUID.class))
			.list();
	}

	public Optional<byte[]> revokeApiKey(PrincipalType type, UUID principalId, UUID keyId, Instant now) {
		return jdbc.sql("""
				update credentials set revoked_at = :now
				where id = :id and kind = 'api_key' and principal_type = :type and principal_id = :principalId
				  and revoked_at is null
				returning secret_hash
				""")
			.param("id", keyId)
			.param("type", type.dbValue())
			.param("principalId", principalId)
			.param("now", Timestamp.from(now))
			.query((rs, row) -> rs.getBytes(1))
			.optional();
	}

	public boolean apiKeyExists(PrincipalType type, UUID principalId, UUID keyId) {
		return jdbc.sql("""
				select count(*) from credentials
				where id = :id and kind = 'api_key' and principal_type = :type and principal_id = :principalId
				""")
			.param("id", keyId)
			.param("type", type.dbValue())
			.param("principalId", principalId)
			.query(Long.class)
			.single() > 0;
	}

	/** One page of the principal's keys, oldest first, keyset on (created_at, id) (index credentials_principal). */
	public List<ApiKeyView> apiKeys(PrincipalType type, UUID principalId, @Nullable Cursor after, int fetch) {
		if (after == null) {
			return jdbc.sql("""
					select id, prefix, created_at, revoked_at from credentials
					where kind = 'api_key' and principal_type = :type and principal_id = :principalId
					order by created_at, id limit :fetch
					""")
				.param("type", type.dbValue())
				.param("principalId", principalId)
				.param("fetch", fetch)
				.query(Credentials::apiKey)
				.list();
		}
		return jdbc.sql("""
				select id, prefix, created_at, revoked_at from credentials
				where kind = 'api_key' and principal_type = :type and principal_id = :principalId
				  and (created_at, id) > (:at, :id)
				order by created_at, id limit :fetch
				""")
			.param("type", type.dbValue())
			.param("principalId", principalId)
			.param("at", Timestamp.from(after.instant(0)))
			.param("id", after.uuid(1))
			.param("fetch", fetch)
			.query(Credentials::apiKey)
			.list();
	}

	private static ApiKeyView apiKey(ResultSet rs, int row) throws SQLException {
		Timestamp revoked = rs.getTimestamp("revoked_at");
		return new ApiKeyView(rs.getObject("id", UUID.class), rs.getString("prefix"),
				rs.getTimestamp("created_at").toInstant(), revoked == null ? null : revoked.toInstant());
	}
}
