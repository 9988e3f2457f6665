package io.walleye.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.core.env.Environment;

/**
 * Drives the API over real HTTP as a client would (JDK HttpClient, JSON by hand), so tests see exactly the status,
 * headers and body a user sees.
 */
@TestComponent
public class TestApi {

	public static final String ADMIN_PASSWORD = "test-admin-password";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Environment environment;

	private final OpenApiContract contract = new OpenApiContract(this::apiDocs);

	private volatile String adminToken;

	public TestApi(Environment environment) {
		this.environment = environment;
	}

	public String baseUrl() {
		return "http://localhost:" + environment.getRequiredProperty("local.server.port");
	}

	public Call get(String path) {
		return new Call("GET", path, null);
	}

	public Call post(String path, Object body) {
		return new Call("POST", path, body instanceof String text ? text : JSON.writeValueAsString(body));
	}

	public Call post(String path) {
		return new Call("POST", path, "");
	}

	public Call put(String path, Object body) {
		return new Call("PUT", path, body instanceof String text ? text : JSON.writeValueAsString(body));
	}

	public Call patch(String path, Object body) {
		return new Call("PATCH", path, body instanceof String text ? text : JSON.writeValueAsString(body));
	}

	public Call delete(String path) {
		return new Call("DELETE", path, null);
	}

	/** An access token of operator admin, signed in once per context. */
	public String adminToken() {
		if (adminToken == null) {
			Response response = post("/api/v1/auth/login", Map.of("username", "admin", "password", ADMIN_PASSWORD))
				.send();
			if (response.status() != 200) {
				throw new IllegalStateException("admin login failed: " + response);
			}
			adminToken = response.json().get("access_token").asString();
		}
		return adminToken;
	}

	/** The OpenAPI check every exchange goes through. */
	public OpenApiContract contract() {
		return contract;
	}

	private String apiDocs() {
		Response response = exchange("GET", "/v3/api-docs", Map.of(), null);
		if (response.status() != 200) {
			throw new IllegalStateException("GET /v3/api-docs failed: " + response);
		}
		return response.body();
	}

	private Response exchange(String method, String path, Map<String, String> headers, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.timeout(Duration.ofSeconds(60))
			.method(method,
					body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		try {
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public static JsonMapper json() {
		return JSON;
	}

	/** One request being built. */
	public final class Call {

		private final String method;

		private final String path;

		private final String body;

		private final Map<String, String> headers = new LinkedHashMap<>();

		Call(String method, String path, String body) {
			this.method = method;
			this.path = path;
			this.body = body;
			if (body != null) {
				headers.put("Content-Type", "application/json");
			}
		}

		public Call bearer(String token) {
			return header("Authorization", "Bearer " + token);
		}

		public Call asAdmin() {
			return bearer(adminToken());
		}

		public Call header(String name, String value) {
			headers.put(name, value);
			return this;
		}

		/** Without the OpenAPI check: for tests that probe every operation with deliberately wrong requests. */
		public Response sendUnchecked() {
			return exchange(method, path, headers, body);
		}

		public Response send() {
			Response response = exchange(method, path, headers, body);
			contract.check(method, path, headers, body, response);
			return response;
		}
	}

	/** What came back. */
	public record Response(int status, Map<String, java.util.List<String>> headers, String body) {

		public JsonNode json() {
			return JSON.readTree(body);
		}

		public Optional<String> header(String name) {
			return headers.entrySet()
				.stream()
				.filter(entry -> entry.getKey().equalsIgnoreCase(name))
				.flatMap(entry -> entry.getValue().stream())
				.findFirst();
		}

		public String contentType() {
			return header("Content-Type").orElse("");
		}

		@Override
		public String toString() {
			return status + " " + body;
		}
	}
}
