package io.walleye.eye;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.eye.EyeFixtures.App;
import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static io.walleye.eye.EyeFixtures.application;
import static io.walleye.eye.EyeFixtures.failed;
import static io.walleye.eye.EyeFixtures.ids;
import static io.walleye.eye.EyeFixtures.pageview;
import static io.walleye.eye.EyeFixtures.stored;
import static io.walleye.eye.EyeFixtures.withId;
import static org.assertj.core.api.Assertions.assertThat;

/** The browser intake: publishable keys, their scope and origins, CORS, text/plain beacons and rate limits. */
@WalleyeIntegrationTest
class BrowserIntakeIntegrationTests {

	static final String BROWSER = "/api/v1/browser/events";

	static final String SITE = "https://www.example.com";

	static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) EyeTest/1.0";

	@Autowired
	TestApi api;

	record Site(App app, String key, UUID keyId) {
	}

	Site site(String... origins) {
		App app = application(api, "browser");
		TestApi.Response issued = api
			.post("/api/v1/applications/" + app.id() + "/publishable-keys", Map.of("allowed_origins", List.of(origins)))
			.asAdmin()
			.send();
		assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
		return new Site(app, issued.json().get("key").asString(), UUID.fromString(issued.json().get("id").asString()));
	}

	TestApi.Call send(String key, Object events, String origin) {
		return api.post(BROWSER, Map.of("key", key, "events", events))
			.header("Origin", origin)
			.header("User-Agent", USER_AGENT);
	}

	@Test
	void aPublishableKeyIsIssuedWithNormalisedOriginsListedAndRevoked() {
		App app = application(api, "browser");
		String path = "/api/v1/applications/" + app.id() + "/publishable-keys";
		TestApi.Response issued = api
			.post(path, Map.of("allowed_origins", List.of("HTTPS://WWW.Example.com:443", "http://localhost:8000")))
			.asAdmin()
			.send();

		assertThat(issued.status()).isEqualTo(201);
		assertThat(issued.json().get("key").asString()).startsWith("pk_").hasSize(35);
		assertThat(issued.json().get("allowed_origins").toString())
			.isEqualTo("[\"https://www.example.com\",\"http://localhost:8000\"]");
		TestApi.Response list = api.get(path).asAdmin().send();
		JsonNode listed = list.json().get("items");
		assertThat(listed).as(list.toString()).isNotNull();
		assertThat(listed).hasSize(1);
		assertThat(listed.get(0).get("key").asString()).isEqualTo(issued.json().get("key").asString());

		assertThat(api.delete(path + "/" + issued.json().get("id").asString()).asAdmin().send().status()).isEqualTo(204);
		assertThat(api.get(path).asAdmin().send().json().get("items").get(0).get("revoked_at").isNull()).isFalse();
		assertThat(api.delete(path + "/" + issued.json().get("id").asString()).asAdmin().send().status()).isEqualTo(404);
		TestApi.Response refused = send(issued.json().get("key").asString(),
				List.of(pageview(UUID.randomUUID(), Instant.now())), SITE)
			.send();
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.json().get("code").asString()).isEqualTo("invalid_publishable_key");
	}

	@Test
	void originsThatAreNotOriginsAreRefused() {
		App app = application(api, "browser");
		String path = "/api/v1/applications/" + app.id() + "/publishable-keys";
		for (Object origins : List.of(List.of(), List.of("https://www.example.com/shop"), List.of("*"),
				List.of("https://*.example.com"), List.of("ftp://example.com"), List.of("www.example.com"))) {
			TestApi.Response refused = api.post(path, Map.of("allowed_origins", origins)).asAdmin().send();
			assertThat(refused.status()).as(origins.toString()).isEqualTo(400);
			assertThat(refused.json().get("errors").get(0).get("field").asString()).startsWith("allowed_origins");
		}
		assertThat(api.post("/api/v1/applications/" + UUID.randomUUID() + "/publishable-keys",
				Map.of("allowed_origins", List.of(SITE))).asAdmin().send().status()).isEqualTo(404);
	}

	@Test
	void eventsFromAnAllowedOriginAreStoredWithOriginAndUserAgentInTheirContext() {
		Site site = site(SITE);
		UUID session = UUID.randomUUID();
		TestApi.Response accepted = send(site.key(), List.of(pageview(session, Instant.now())), SITE).send();

		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
		assertThat(accepted.header("Access-Control-Allow-Origin")).contains(SITE);
		assertThat(accepted.header("Vary").orElse("")).contains("Origin");
		JsonNode event = stored(api, ids(accepted).getFirst());
		assertThat(event.get("application_id").asString()).isEqualTo(site.app().id().toString());
		assertThat(event.get("context").get("origin").asString()).isEqualTo(SITE);
		assertThat(event.get("context").get("user_agent").asString()).isEqualTo(USER_AGENT);
		assertThat(event.get("received_at").asString()).isNotBlank();
		// the application's own secret key sees the event too
		assertThat(api.get("/api/v1/events/" + event.get("id").asString()).bearer(site.app().key()).send().status())
			.isEqualTo(200);
	}

	@Test
	void aTextPlainBeaconIsAcceptedAsJson() {
		Site site = site(SITE);
		String body = TestApi.json()
			.writeValueAsString(Map.of("key", site.key(), "events", List.of(pageview(UUID.randomUUID(), Instant.now()))));
		HttpResponse<String> beacon = raw(HttpRequest.newBuilder(URI.create(api.baseUrl() + BROWSER))
			.header("Content-Type", "text/plain;charset=UTF-8")
			.header("Origin", SITE)
			.POST(HttpRequest.BodyPublishers.ofString(body)), null);
		assertThat(beacon.statusCode()).as(beacon.body()).isEqualTo(202);
		stored(api, UUID.fromString(TestApi.json().readTree(beacon.body()).get("ids").get(0).asString()));
	}

	@Test
	void anOriginTheKeyDoesNotAllowIsRefusedWithoutCorsHeaders() {
		Site site = site(SITE);
		Site other = site("https://other.example.org");
		List<Object> events = List.of(pageview(UUID.randomUUID(), Instant.now()));

		TestApi.Response foreign = send(site.key(), events, "https://evil.example.net").send();
		assertThat(foreign.status()).isEqualTo(403);
		assertThat(foreign.json().get("code").asString()).isEqualTo("origin_not_allowed");
		assertThat(foreign.header("Access-Control-Allow-Origin")).isEmpty();
		// allowed for another key is not allowed for this one
		TestApi.Response otherSite = send(site.key(), events, "https://other.example.org").send();
		assertThat(otherSite.status()).isEqualTo(403);
		assertThat(send(other.key(), events, "https://other.example.org").send().status()).isEqualTo(202);
		// a request without Origin is not from a page
		TestApi.Response noOrigin = api.post(BROWSER, Map.of("key", site.key(), "events", events)).send();
		assertThat(noOrigin.status()).isEqualTo(403);
		assertThat(noOrigin.json().get("code").asString()).isEqualTo("origin_not_allowed");
	}

	@Test
	void aPublishableKeyOpensNoOtherEndpoint() {
		Site site = site(SITE);
		UUID stored = ids(send(site.key(), List.of(pageview(UUID.randomUUID(), Instant.now())), SITE).send()).getFirst();
		stored(api, stored);
		for (TestApi.Call call : List.of(api.get("/api/v1/events/" + stored), api.get("/api/v1/events"),
				api.post("/api/v1/events", pageview(UUID.randomUUID(), Instant.now())), api.get("/api/v1/applications"),
				api.get("/api/v1/applications/" + site.app().id() + "/publishable-keys"),
				api.post("/api/v1/applications/" + site.app().id() + "/api-keys"), api.get("/api/v1/event-types"),
				api.get("/api/v1/events/failed"), api.get("/api/v1/wallets"))) {
			TestApi.Response refused = call.bearer(site.key()).header("Origin", SITE).send();
			assertThat(refused.status()).as(refused.toString()).isIn(401, 403);
		}
	}

	@Test
	void aPreflightIsAnsweredForAnAllowedOriginOnly() {
		site(SITE, "http://shop.example.com:8080");
		HttpResponse<String> allowed = preflight("http://shop.example.com:8080");
		assertThat(allowed.statusCode()).isEqualTo(204);
		assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("http://shop.example.com:8080");
		assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).contains("POST");
		assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("")).containsIgnoringCase(
				"content-type");

		HttpResponse<String> refused = preflight("https://evil.example.net");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	@Test
	void aRetriedEventIsStoredOnce() {
		Site site = site(SITE);
		UUID session = UUID.randomUUID();
		Map<String, Object> event = withId(pageview(session, Instant.now()), UUID.randomUUID());
		assertThat(send(site.key(), List.of(event), SITE).send().status()).isEqualTo(202);
		assertThat(send(site.key(), List.of(event), SITE).send().status()).isEqualTo(202);
		stored(api, UUID.fromString((String) event.get("id")));
		assertThat(api.get("/api/v1/sessions/" + session).asAdmin().send().json().get("count").asInt()).isEqualTo(1);
	}

	@Test
	void envelopeErrorsAndABodyWithoutEventsAreRefusedWhole() {
		Site site = site(SITE);
		Map<String, Object> bad = pageview(UUID.randomUUID(), Instant.now());
		bad.put("session_id", "nope");
		TestApi.Response refused = send(site.key(), List.of(pageview(UUID.randomUUID(), Instant.now()), bad), SITE)
			.send();
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("code").asString()).isEqualTo("invalid_events");
		assertThat(refused.json().get("errors").get(0).get("index").asInt()).isEqualTo(1);

		TestApi.Response noEvents = api.post(BROWSER, Map.of("key", site.key())).header("Origin", SITE).send();
		assertThat(noEvents.status()).isEqualTo(400);
		assertThat(noEvents.json().get("errors").get(0).get("field").asString()).isEqualTo("events");
		TestApi.Response noKey = api.post(BROWSER, Map.of("events", List.of())).header("Origin", SITE).send();
		assertThat(noKey.status()).isEqualTo(400);
		assertThat(noKey.json().get("errors").get(0).get("field").asString()).isEqualTo("key");
	}

	@Test
	void aBrowserClockInTheFutureFailsTheSameTimestampCheck() {
		Site site = site(SITE);
		TestApi.Response accepted = send(site.key(),
				List.of(pageview(UUID.randomUUID(), Instant.now().plus(1, ChronoUnit.HOURS))), SITE)
			.send();
		assertThat(accepted.status()).isEqualTo(202);
		JsonNode failure = failed(api, ids(accepted).getFirst());
		assertThat(failure.get("reason").asString()).isEqualTo("timestamp_in_future");
		assertThat(failure.get("raw").get("context").get("origin").asString()).isEqualTo(SITE);
	}

	@Test
	void aKeyPastItsRateIsAnswered429WithRetryAfter() {
		Site site = site(SITE);
		List<Integer> statuses = new ArrayList<>();
		TestApi.Response limited = null;
		for (int i = 0; i < 40 && limited == null; i++) {
			TestApi.Response response = send(site.key(), List.of(pageview(UUID.randomUUID(), Instant.now())), SITE)
				.send();
			statuses.add(response.status());
			if (response.status() == 429) {
				limited = response;
			}
		}
		assertThat(limited).as(statuses.toString()).isNotNull();
		assertThat(limited.json().get("code").asString()).isEqualTo("rate_limited");
		assertThat(limited.header("Retry-After")).contains("1");
		// CORS exposes Retry-After, so that the tracker can read it
		assertThat(limited.header("Access-Control-Expose-Headers")).contains("Retry-After");
		// another key is not affected
		assertThat(send(site(SITE).key(), List.of(pageview(UUID.randomUUID(), Instant.now())), SITE).send().status())
			.isEqualTo(202);
	}

	@Test
	void oneClientAddressPastItsRateIsAnswered429WhateverTheKey() throws Exception {
		// The limit per address (30/s in tests) is reached from 127.0.0.2, so the other tests' address is not.
		InetAddress address = InetAddress.getByName("127.0.0.2");
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			keys.add(site(SITE).key());
		}
		URI uri = URI.create(api.baseUrl().replace("localhost", "127.0.0.1") + BROWSER);
		// all at once, so that the rate is reached however fast the machine answers one request
		List<HttpResponse<String>> responses;
		try (HttpClient http = HttpClient.newBuilder().localAddress(address).build()) {
			List<CompletableFuture<HttpResponse<String>>> sent = IntStream.range(0, 120).mapToObj(i -> {
				String body = TestApi.json()
					.writeValueAsString(Map.of("key", keys.get(i % keys.size()), "events", List.of(Map.of())));
				return http.sendAsync(HttpRequest.newBuilder(uri)
					.header("Content-Type", "text/plain")
					.header("Origin", SITE)
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			}).toList();
			responses = sent.stream().map(CompletableFuture::join).toList();
		}
		List<HttpResponse<String>> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
		assertThat(limited).isNotEmpty();
		assertThat(limited.getFirst().headers().firstValue("Retry-After")).contains("1");
		assertThat(TestApi.json().readTree(limited.getFirst().body()).get("code").asString()).isEqualTo("rate_limited");
		// the others were refused for their empty events, not let through
		assertThat(responses).allMatch(r -> r.statusCode() == 429 || r.statusCode() == 400);
	}

	@Test
	void theTrackerIsServedCacheableAndVersioned() {
		HttpResponse<String> current = raw(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/eye.js")), null);
		assertThat(current.statusCode()).isEqualTo(200);
		assertThat(current.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
		assertThat(current.headers().firstValue("Cache-Control").orElse("")).contains("max-age=300", "public");
		assertThat(current.body()).contains("createEye");
		String version = current.headers().firstValue("X-Eye-Version").orElseThrow();
		String etag = current.headers().firstValue("ETag").orElseThrow();

		HttpResponse<String> revalidated = raw(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/eye.js"))
			.header("If-None-Match", etag), null);
		assertThat(revalidated.statusCode()).isEqualTo(304);
		HttpResponse<String> pinned = raw(
				HttpRequest.newBuilder(URI.create(api.baseUrl() + "/eye/" + version + "/eye.js")), null);
		assertThat(pinned.statusCode()).isEqualTo(200);
		assertThat(pinned.headers().firstValue("Cache-Control").orElse("")).contains("max-age=31536000", "immutable");
		assertThat(pinned.body()).isEqualTo(current.body());
		assertThat(raw(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/eye/0.0.0-nope/eye.js")), null).statusCode())
			.isEqualTo(404);
	}

	private HttpResponse<String> preflight(String origin) {
		return raw(HttpRequest.newBuilder(URI.create(api.baseUrl() + BROWSER))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", origin)
			.header("Access-Control-Request-Method", "POST")
			.header("Access-Control-Request-Headers", "content-type"), null);
	}

	private static HttpResponse<String> raw(HttpRequest.Builder request, InetAddress from) {
		HttpClient.Builder client = HttpClient.newBuilder();
		if (from != null) {
			client.localAddress(from);
		}
		try (HttpClient http = client.build()) {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}
}
