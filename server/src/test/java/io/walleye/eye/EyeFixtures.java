package io.walleye.eye;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import tools.jackson.databind.JsonNode;

import io.walleye.support.TestApi;

/** Shared steps of The Eye's tests: an application with a key, events to send, waiting for the worker. */
final class EyeFixtures {

	private EyeFixtures() {
	}

	record App(UUID id, String key) {
	}

	static App application(TestApi api, String prefix) {
		TestApi.Response response = api.post("/api/v1/applications", Map.of("name", prefix + "-" + UUID.randomUUID()))
			.asAdmin()
			.send();
		if (response.status() != 201) {
			throw new IllegalStateException("create application failed: " + response);
		}
		JsonNode body = response.json();
		return new App(UUID.fromString(body.get("id").asString()), body.get("api_key").asString());
	}

	static Map<String, Object> pageview(UUID session, Instant at) {
		return event(session, "page interaction", "pageview", at, Map.of("host", "www.example.com", "path", "/"));
	}

	static Map<String, Object> event(UUID session, String category, String name, Instant at, Object data) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("session_id", session.toString());
		event.put("category", category);
		event.put("name", name);
		event.put("timestamp", at.toString());
		event.put("data", data);
		return event;
	}

	static Map<String, Object> withId(Map<String, Object> event, UUID id) {
		Map<String, Object> copy = new LinkedHashMap<>(event);
		copy.put("id", id.toString());
		return copy;
	}

	static List<UUID> ids(TestApi.Response accepted) {
		List<UUID> ids = new ArrayList<>();
		accepted.json().get("ids").forEach(node -> ids.add(UUID.fromString(node.asString())));
		return ids;
	}

	static void await(BooleanSupplier condition, String what) {
		await(condition, what, Duration.ofSeconds(20));
	}

	static void await(BooleanSupplier condition, String what, Duration patience) {
		long deadline = System.nanoTime() + patience.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("timed out waiting for " + what);
			}
			try {
				Thread.sleep(25);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	/** Waits until the event is stored, and returns it. */
	static JsonNode stored(TestApi api, UUID id) {
		await(() -> api.get("/api/v1/events/" + id).asAdmin().send().status() == 200, "event " + id + " stored");
		return api.get("/api/v1/events/" + id).asAdmin().send().json();
	}

	/** Waits until the event is filed as failed, and returns the failure. */
	static JsonNode failed(TestApi api, UUID id) {
		await(() -> api.get("/api/v1/events/failed/" + id).asAdmin().send().status() == 200, "event " + id + " failed");
		return api.get("/api/v1/events/failed/" + id).asAdmin().send().json();
	}
}
