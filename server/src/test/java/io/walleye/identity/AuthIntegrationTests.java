package io.walleye.identity;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WalleyeIntegrationTest
class AuthIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	Identity identity;

	@Test
	void operatorSignsInAndUsesTheToken() {
		Response login = api.post("/api/v1/auth/login", Map.of("username", "admin", "password", TestApi.ADMIN_PASSWORD))
			.send();
		assertThat(login.status()).isEqualTo(200);
		JsonNode body = login.json();
		assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
		assertThat(body.get("expires_in").asLong()).isEqualTo(Duration.ofHours(8).toSeconds());
		String token = body.get("access_token").asString();
		assertThat(token).startsWith("wt_");

		Response me = api.get("/api/v1/auth/me").bearer(token).send();
		assertThat(me.status()).isEqualTo(200);
		assertThat(me.json().get("type").asString()).isEqualTo("operator");
		assertThat(me.json().get("username").asString()).isEqualTo("admin");
	}

	@Test
	void logoutRevokesTheToken() {
		String token = api.post("/api/v1/auth/login", Map.of("username", "admin", "password", TestApi.ADMIN_PASSWORD))
			.send()
			.json()
			.get("access_token")
			.asString();
		assertThat(api.post("/api/v1/auth/logout").bearer(token).send().status()).isEqualTo(204);
		assertThat(api.get("/api/v1/auth/me").bearer(token).send().status()).isEqualTo(401);
	}

	@Test
	void wrongPasswordIs401() {
		Response response = api.post("/api/v1/auth/login", Map.of("username", "admin", "password", "nope")).send();
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.json().get("code").asString()).isEqualTo("invalid_credentials");
	}

	@Test
	void repeatedFailuresLockTheUsername() {
		identity.ensureOperator("locky", java.util.Optional.of("right-password"));
		for (int i = 0; i < 5; i++) {
			assertThat(api.post("/api/v1/auth/login", Map.of("username", "locky", "password", "wrong")).send().status())
				.isEqualTo(401);
		}
		Response locked = api.post("/api/v1/auth/login", Map.of("username", "locky", "password", "right-password"))
			.send();
		assertThat(locked.status()).isEqualTo(429);
		assertThat(locked.json().get("code").asString()).isEqualTo("login_locked");
		assertThat(Long.parseLong(locked.header("Retry-After").orElseThrow())).isBetween(1L, 300L);
	}

	@Test
	void apiKeyAuthenticatesItsPrincipal() {
		JsonNode issued = api.post("/api/v1/test-keys/customer").asAdmin().send().json();
		String key = issued.get("key").asString();
		assertThat(key).startsWith("wk_").hasSizeGreaterThanOrEqualTo(3 + 22);

		Response me = api.get("/api/v1/auth/me").bearer(key).send();
		assertThat(me.status()).isEqualTo(200);
		assertThat(me.json().get("type").asString()).isEqualTo("customer");
		assertThat(me.json().get("id").asString()).isEqualTo(issued.get("principal_id").asString());
	}

	@Test
	void revokedKeyIsRefusedWithinFiveSeconds() {
		JsonNode issued = api.post("/api/v1/test-keys/application").asAdmin().send().json();
		String key = issued.get("key").asString();
		assertThat(api.get("/api/v1/auth/me").bearer(key).send().status()).isEqualTo(200);

		api.delete("/api/v1/test-keys/application/" + issued.get("principal_id").asString() + "/"
				+ issued.get("id").asString())
			.asAdmin()
			.send();

		await().atMost(Duration.ofSeconds(6))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> api.get("/api/v1/auth/me").bearer(key).send().status() == 401);
	}

	@Test
	void unknownKeyIs401() {
		assertThat(api.get("/api/v1/auth/me").bearer("wk_thisisnotarealkeyatall0000000000").send().status())
			.isEqualTo(401);
	}

	@Test
	void keysAreStoredOnlyAsHashes(@Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc) {
		String key = api.post("/api/v1/test-keys/business").asAdmin().send().json().get("key").asString();
		Long plain = jdbc.sql("select count(*) from credentials where encode(secret_hash, 'escape') like :key")
			.param("key", "%" + key.substring(3) + "%")
			.query(Long.class)
			.single();
		assertThat(plain).isZero();
	}

	@Test
	void keyHoldersRotateTheirOwnKeys() {
		String first = api.post("/api/v1/test-keys/business").asAdmin().send().json().get("key").asString();
		Response issued = api.post("/api/v1/api-keys").bearer(first).send();
		assertThat(issued.status()).isEqualTo(201);
		String second = issued.json().get("api_key").asString();
		assertThat(api.get("/api/v1/auth/me").bearer(second).send().status()).isEqualTo(200);

		JsonNode keys = api.get("/api/v1/api-keys").bearer(second).send().json();
		assertThat(keys.size()).isEqualTo(2);
		assertThat(keys.toString()).doesNotContain(first).doesNotContain(second);

		String firstId = keys.get(0).get("id").asString();
		assertThat(api.delete("/api/v1/api-keys/" + firstId).bearer(second).send().status()).isEqualTo(204);
		assertThat(api.delete("/api/v1/api-keys/" + firstId).bearer(second).send().status()).isEqualTo(404);
		assertThat(api.get("/api/v1/api-keys").bearer(second).send().json().get(0).get("revoked_at").isNull())
			.isFalse();
	}

	@Test
	void operatorsHaveNoApiKeysToRotate() {
		assertThat(api.get("/api/v1/api-keys").asAdmin().send().status()).isEqualTo(403);
	}
}
