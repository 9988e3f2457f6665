package io.walleye.eye;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.eye.EyeFixtures.App;
import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static io.walleye.eye.EyeFixtures.application;
import static io.walleye.eye.EyeFixtures.event;
import static io.walleye.eye.EyeFixtures.failed;
import static io.walleye.eye.EyeFixtures.ids;
import static io.walleye.eye.EyeFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

@WalleyeIntegrationTest
class EventTypeIntegrationTests {

	private static final String SCHEMA = """
			{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
			 "properties": {"seconds": {"type": "integer", "minimum": 0}}, "required": ["seconds"]}
			""";

	@Autowired
	TestApi api;

	@Test
	void theThreeExampleTypesAreRegisteredAtFirstStart() {
		TestApi.Response response = api.get("/api/v1/event-types").asAdmin().send();
		assertThat(response.status()).isEqualTo(200);
		List<String> types = new ArrayList<>();
		assertThat(response.json().has("next_cursor")).isTrue();
		response.json().get("items").forEach(type -> types.add(type.get("category").asString() + "/" + type.get("name").asString()));
		assertThat(types).contains("page interaction/pageview", "page interaction/cta click", "form interaction/submit");
		JsonNode pageview = api.get("/api/v1/event-types/page%20interaction/pageview").asAdmin().send().json();
		assertThat(pageview.get("schema").get("required").toString()).contains("host", "path");
	}

	@Test
	void theListIsPagedLikeEveryOtherList() {
		TestApi.Response first = api.get("/api/v1/event-types?limit=1").asAdmin().send();
		assertThat(first.json().get("items")).hasSize(1);
		String cursor = first.json().get("next_cursor").asString();
		TestApi.Response second = api.get("/api/v1/event-types?limit=1&cursor=" + cursor).asAdmin().send();
		assertThat(second.json().get("items")).hasSize(1);
		assertThat(second.json().get("items").get(0)).isNotEqualTo(first.json().get("items").get(0));
	}

	@Test
	void schemaProblemsSayWhatIsWrongWithoutJavaExceptionNames() {
		String path = "/api/v1/event-types/video/bad-" + UUID.randomUUID();
		TestApi.Response badRef = api.put(path, "{\"$ref\": \"missing.json#/foo\"}").asAdmin().send();
		TestApi.Response badPattern = api.put(path, "{\"type\": \"string\", \"pattern\": \"[a-\"}").asAdmin().send();

		assertThat(badRef.status()).isEqualTo(422);
		assertThat(badRef.json().get("detail").asString()).contains("$ref", "missing.json#/foo", "cannot be resolved")
			.doesNotContain("java.", "Exception");
		assertThat(badPattern.status()).isEqualTo(422);
		assertThat(badPattern.json().get("detail").asString())
			.contains("pattern '[a-' is not a valid regular expression")
			.doesNotContain("java.", "Exception");
	}

	@Test
	void aSchemaNeverMakesTheServerFetchAUrlOrReadAFile() throws Exception {
		AtomicInteger fetches = new AtomicInteger();
		HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		site.createContext("/", exchange -> {
			fetches.incrementAndGet();
			byte[] schema = "{\"type\": \"string\"}".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, schema.length);
			exchange.getResponseBody().write(schema);
			exchange.close();
		});
		site.start();
		Path local = Files.writeString(Files.createTempFile("schema", ".json"), "{\"type\": \"string\"}");
		try {
			for (String ref : List.of("http://127.0.0.1:" + site.getAddress().getPort() + "/s.json", local.toUri().toString())) {
				TestApi.Response answer = api
					.put("/api/v1/event-types/video/ref-" + UUID.randomUUID(), "{\"$ref\": \"" + ref + "\"}")
					.asAdmin()
					.send();
				assertThat(answer.status()).as(ref).isEqualTo(422);
				assertThat(answer.json().get("detail").asString()).contains(ref, "cannot be resolved");
			}
			assertThat(fetches).hasValue(0);
		}
		finally {
			site.stop(0);
			Files.deleteIfExists(local);
		}
	}

	@Test
	void aTypeIsCreatedReplacedAndDeleted() {
		String name = "play-" + UUID.randomUUID();
		String path = "/api/v1/event-types/video/" + name;
		assertThat(api.put(path, SCHEMA).asAdmin().send().status()).isEqualTo(201);
		assertThat(api.put(path, SCHEMA.replace("\"minimum\": 0", "\"minimum\": 1")).asAdmin().send().status())
			.isEqualTo(200);
		assertThat(api.get(path).asAdmin().send().json().get("schema").get("properties").get("seconds").get("minimum")
			.asInt()).isEqualTo(1);
		assertThat(api.delete(path).asAdmin().send().status()).isEqualTo(204);
		assertThat(api.get(path).asAdmin().send().status()).isEqualTo(404);
		assertThat(api.delete(path).asAdmin().send().status()).isEqualTo(404);
	}

	@Test
	void aBadSchemaIsRefusedWithTheReason() {
		String path = "/api/v1/event-types/video/bad-" + UUID.randomUUID();
		TestApi.Response response = api.put(path, "{\"type\": \"banana\"}").asAdmin().send();
		assertThat(response.status()).isEqualTo(422);
		assertThat(response.json().get("code").asString()).isEqualTo("invalid_schema");
		assertThat(response.json().get("errors")).isNotEmpty();
		assertThat(api.put(path, "[1, 2]").asAdmin().send().status()).isEqualTo(422);
		assertThat(api.get(path).asAdmin().send().status()).isEqualTo(404);
	}

	@Test
	void onlyOperatorsManageTypes() {
		App app = application(api, "types");
		assertThat(api.get("/api/v1/event-types").bearer(app.key()).send().status()).isEqualTo(403);
		assertThat(api.put("/api/v1/event-types/a/b", SCHEMA).bearer(app.key()).send().status()).isEqualTo(403);
	}

	@Test
	void aFailedEventPassesOnRetryAfterTheSchemaIsFixed() {
		App app = application(api, "types");
		String name = "play-" + UUID.randomUUID();
		String path = "/api/v1/event-types/video/" + name;
		api.put(path, SCHEMA).asAdmin().send();
		UUID id = ids(api.post("/api/v1/events",
				event(UUID.randomUUID(), "video", name, Instant.now(), Map.of("seconds", "three")))
			.bearer(app.key())
			.send()).getFirst();
		assertThat(failed(api, id).get("reason").asString()).isEqualTo("schema_violation");

		TestApi.Response stillFailing = api.post("/api/v1/events/failed/" + id + "/retry").asAdmin().send();
		assertThat(stillFailing.status()).isEqualTo(200);
		assertThat(stillFailing.json().get("outcome").asString()).isEqualTo("failed");

		api.put(path, SCHEMA.replace("\"integer\", \"minimum\": 0", "\"string\"")).asAdmin().send();
		TestApi.Response retried = api.post("/api/v1/events/failed/" + id + "/retry").asAdmin().send();
		assertThat(retried.json().get("outcome").asString()).isEqualTo("stored");
		stored(api, id);
		assertThat(api.get("/api/v1/events/failed/" + id).asAdmin().send().status()).isEqualTo(404);
		assertThat(api.post("/api/v1/events/failed/" + id + "/retry").asAdmin().send().status()).isEqualTo(404);
	}
}
