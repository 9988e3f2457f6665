package io.walleye.eye;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static io.walleye.eye.EyeFixtures.pageview;
import static org.assertj.core.api.Assertions.assertThat;

@WalleyeIntegrationTest
class ApplicationIntegrationTests {

	@Autowired
	TestApi api;

	@Test
	void anApplicationIsCreatedWithAKeyShownOnce() {
		String name = "shop-" + UUID.randomUUID();
		TestApi.Response created = api.post("/api/v1/applications", Map.of("name", name)).asAdmin().send();
		assertThat(created.status()).isEqualTo(201);
		JsonNode body = created.json();
		assertThat(body.get("api_key").asString()).startsWith("wk_");
		assertThat(body.get("created_at").asString()).endsWith("Z");

		JsonNode one = api.get("/api/v1/applications/" + body.get("id").asString()).asAdmin().send().json();
		assertThat(one.get("name").asString()).isEqualTo(name);
		assertThat(one.get("api_keys")).hasSize(1);
		assertThat(one.toString()).doesNotContain(body.get("api_key").asString());
		assertThat(api.post("/api/v1/events", pageview(UUID.randomUUID(), Instant.now()))
			.bearer(body.get("api_key").asString())
			.send()
			.status()).isEqualTo(202);
	}

	@Test
	void namesAreRequiredAndUnique() {
		String name = "dup-" + UUID.randomUUID();
		assertThat(api.post("/api/v1/applications", Map.of("name", name)).asAdmin().send().status()).isEqualTo(201);
		assertThat(api.post("/api/v1/applications", Map.of("name", name)).asAdmin().send().status()).isEqualTo(409);
		TestApi.Response blank = api.post("/api/v1/applications", Map.of("name", " ")).asAdmin().send();
		assertThat(blank.status()).isEqualTo(400);
		assertThat(blank.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
	}

	@Test
	void applicationsAreListedWithCursorPaging() {
		for (int i = 0; i < 3; i++) {
			api.post("/api/v1/applications", Map.of("name", "page-" + UUID.randomUUID())).asAdmin().send();
		}
		JsonNode first = api.get("/api/v1/applications?limit=2").asAdmin().send().json();
		assertThat(first.get("items")).hasSize(2);
		String cursor = first.get("next_cursor").asString();
		JsonNode second = api.get("/api/v1/applications?limit=2&cursor=" + cursor).asAdmin().send().json();
		assertThat(second.get("items")).isNotEmpty();
		assertThat(second.get("items").get(0).get("id")).isNotEqualTo(first.get("items").get(1).get("id"));
	}

	@Test
	void aNewKeyWorksAndARevokedKeyIsRefused() {
		JsonNode app = api.post("/api/v1/applications", Map.of("name", "keys-" + UUID.randomUUID()))
			.asAdmin()
			.send()
			.json();
		String id = app.get("id").asString();
		TestApi.Response issued = api.post("/api/v1/applications/" + id + "/api-keys").asAdmin().send();
		assertThat(issued.status()).isEqualTo(201);
		String second = issued.json().get("api_key").asString();
		assertThat(api.post("/api/v1/events", pageview(UUID.randomUUID(), Instant.now())).bearer(second).send()
			.status()).isEqualTo(202);

		String firstKeyId = app.get("api_key_id").asString();
		assertThat(api.delete("/api/v1/applications/" + id + "/api-keys/" + firstKeyId).asAdmin().send().status())
			.isEqualTo(204);
		assertThat(api.delete("/api/v1/applications/" + id + "/api-keys/" + firstKeyId).asAdmin().send().status())
			.isEqualTo(404);
		EyeFixtures.await(() -> api.post("/api/v1/events", pageview(UUID.randomUUID(), Instant.now()))
			.bearer(app.get("api_key").asString())
			.send()
			.status() == 401, "revoked key refused");
		assertThat(api.post("/api/v1/applications/" + UUID.randomUUID() + "/api-keys").asAdmin().send().status())
			.isEqualTo(404);
	}

	@Test
	void onlyOperatorsManageApplications() {
		JsonNode app = api.post("/api/v1/applications", Map.of("name", "op-" + UUID.randomUUID())).asAdmin().send()
			.json();
		assertThat(api.get("/api/v1/applications").bearer(app.get("api_key").asString()).send().status())
			.isEqualTo(403);
		assertThat(api.get("/api/v1/applications").send().status()).isEqualTo(401);
	}
}
