package io.walleye.identity.persistence;

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

	/** The live (unrevoked, unexpired) credential with this secret hash. */
	public Optional<Principal> findLive(byte[] secretHash, Instant now) {
		return jdbc.sql("""
				select id, principal_type, principal_id, expires_at from credentials
				where secret_hash = :hash and revoked_at is null and (expires_at is null or expires_at > :now)
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

	public boolean revoke(UUID credentialId, Instant now) {
		return jdbc.sql("update credentials set revoked_at = :now where id = :id and revoked_at is null")
			.param("id", credentialId)
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	public boolean revokeApiKey(PrincipalType type, UUID principalId, UUID keyId, Instant now) {
		return jdbc.sql("""
				update credentials set revoked_at = :now
				where id = :id and kind = 'api_key' and principal_type = :type and principal_id = :principalId
				  and revoked_at is null
				""")
			.param("id", keyId)
			.param("type", type.dbValue())
			.param("principalId", principalId)
			.param("now", Timestamp.from(now))
			.update() == 1;
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

	public List<ApiKeyView> apiKeys(PrincipalType type, UUID principalId) {
		return jdbc.sql("""
				select id, prefix, created_at, revoked_at from credentials
				where kind = 'api_key' and principal_type = :type and principal_id = :principalId
				order by created_at, id
				""")
			.param("type", type.dbValue())
			.param("principalId", principalId)
			.query((rs, row) -> {
				Timestamp revoked = rs.getTimestamp("revoked_at");
				return new ApiKeyView(rs.getObject("id", UUID.class), rs.getString("prefix"),
						rs.getTimestamp("created_at").toInstant(), revoked == null ? null : revoked.toInstant());
			})
			.list();
	}
}
