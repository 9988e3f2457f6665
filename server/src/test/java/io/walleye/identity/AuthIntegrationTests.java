package io.walleye.identity;

import java.time.Duration;
import java.util.Map;

import java.util.List;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

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

	@ParameterizedTest
	@ValueSource(strings = { "customer", "business", "application" })
	void aRevokedKeyIsRefusedAtOnceOnTheNodeThatRevokedIt(String type) {
		JsonNode issued = api.post("/api/v1/test-keys/" + type).asAdmin().send().json();
		String key = issued.get("key").asString();
		// Verified once, so the key sits in the authentication cache when it is revoked.
		assertThat(api.get("/api/v1/auth/me").bearer(key).send().status()).isEqualTo(200);

		api.delete("/api/v1/test-keys/" + type + "/" + issued.get("principal_id").asString() + "/"
				+ issued.get("id").asString())
			.asAdmin()
			.send();

		Response refused = api.get("/api/v1/auth/me").bearer(key).send();
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.contentType()).startsWith("application/problem+json");
	}

	@Test
	void aKeyTheHolderRevokesIsRefusedAtOnce() {
		String first = api.post("/api/v1/test-keys/customer").asAdmin().send().json().get("key").asString();
		String second = api.post("/api/v1/api-keys").bearer(first).send().json().get("api_key").asString();
		String firstId = api.get("/api/v1/api-keys").bearer(first).send().json().get("items").get(0).get("id").asString();

		assertThat(api.delete("/api/v1/api-keys/" + firstId).bearer(second).send().status()).isEqualTo(204);

		assertThat(api.get("/api/v1/auth/me").bearer(first).send().status()).isEqualTo(401);
		assertThat(api.get("/api/v1/auth/me").bearer(second).send().status()).isEqualTo(200);
	}

	@Test
	void logoutWithAnApiKeyIsRefusedAndTheKeyKeepsWorking() {
		String key = api.post("/api/v1/test-keys/customer").asAdmin().send().json().get("key").asString();

		Response logout = api.post("/api/v1/auth/logout").bearer(key).send();

		assertThat(logout.status()).isEqualTo(400);
		assertThat(logout.contentType()).startsWith("application/problem+json");
		assertThat(logout.json().get("code").asString()).isEqualTo("not_an_access_token");
		assertThat(api.get("/api/v1/auth/me").bearer(key).send().status()).isEqualTo(200);
	}

	@Test
	void theLastLiveKeyCannotBeRevokedByItsHolder() {
		String only = api.post("/api/v1/test-keys/customer").asAdmin().send().json().get("key").asString();
		String id = api.get("/api/v1/api-keys").bearer(only).send().json().get("items").get(0).get("id").asString();

		Response refused = api.delete("/api/v1/api-keys/" + id).bearer(only).send();

		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.json().get("code").asString()).isEqualTo("last_api_key");
		assertThat(api.get("/api/v1/auth/me").bearer(only).send().status()).isEqualTo(200);
	}

	@Test
	void twoKeysRevokedAtOnceLeaveOneLive() throws Exception {
		String first = api.post("/api/v1/test-keys/business").asAdmin().send().json().get("key").asString();
		String second = api.post("/api/v1/api-keys").bearer(first).send().json().get("api_key").asString();
		JsonNode items = api.get("/api/v1/api-keys").bearer(first).send().json().get("items");
		// Each key revokes the other at the same moment: the row locks let only one of them through.
		try (var executor = Executors.newFixedThreadPool(2)) {
			var one = executor.submit(() -> api.delete("/api/v1/api-keys/" + items.get(1).get("id").asString())
				.bearer(first)
				.send()
				.status());
			var other = executor.submit(() -> api.delete("/api/v1/api-keys/" + items.get(0).get("id").asString())
				.bearer(second)
				.send()
				.status());
			assertThat(List.of(one.get(), other.get())).contains(204).doesNotContain(500).doesNotContain(200);
		}
		long live = java.util.stream.Stream.of(first, second)
			.filter(key -> api.get("/api/v1/auth/me").bearer(key).send().status() == 200)
			.count();
		assertThat(live).isEqualTo(1);
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
		assertThat(keys.get("items").size()).isEqualTo(2);
		assertThat(keys.get("next_cursor").isNull()).isTrue();
		assertThat(keys.toString()).doesNotContain(first).doesNotContain(second);

		String firstId = keys.get("items").get(0).get("id").asString();
		assertThat(api.delete("/api/v1/api-keys/" + firstId).bearer(second).send().status()).isEqualTo(204);
		assertThat(api.delete("/api/v1/api-keys/" + firstId).bearer(second).send().status()).isEqualTo(404);
		assertThat(api.get("/api/v1/api-keys").bearer(second).send().json().get("items").get(0).get("revoked_at").isNull())
			.isFalse();
	}

	@Test
	void apiKeysAreListedPageByPage() {
		String key = api.post("/api/v1/test-keys/application").asAdmin().send().json().get("key").asString();
		api.post("/api/v1/api-keys").bearer(key).send();
		api.post("/api/v1/api-keys").bearer(key).send();

		JsonNode first = api.get("/api/v1/api-keys?limit=2").bearer(key).send().json();
		assertThat(first.get("items")).hasSize(2);
		String cursor = first.get("next_cursor").asString();
		JsonNode last = api.get("/api/v1/api-keys?limit=2&cursor=" + cursor).bearer(key).send().json();
		assertThat(last.get("items")).hasSize(1);
		assertThat(last.get("next_cursor").isNull()).isTrue();
		assertThat(last.get("items").get(0).get("id").asString())
			.isNotIn(first.get("items").get(0).get("id").asString(), first.get("items").get(1).get("id").asString());
	}

	@Test
	void operatorsHaveNoApiKeysToRotate() {
		assertThat(api.get("/api/v1/api-keys").asAdmin().send().status()).isEqualTo(403);
	}
}
