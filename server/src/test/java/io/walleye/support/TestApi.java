package io.walleye.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

	// --- a raw HTTP/1.1 client, for what java.net.http will not send or show --------------------------------------

	/**
	 * Sends {@code request} as written (one HTTP/1.1 exchange, {@code Connection: close}) and reads the answer off the
	 * wire, framing headers ({@code Transfer-Encoding}, {@code Content-Length}) included.
	 */
	public Response raw(byte[] request) throws IOException {
		try (Socket socket = new Socket("localhost", port())) {
			socket.setSoTimeout(30_000);
			socket.getOutputStream().write(request);
			socket.getOutputStream().flush();
			return answer(socket.getInputStream());
		}
	}

	public int port() {
		return URI.create(baseUrl()).getPort();
	}

	/** Reads one HTTP/1.1 answer, head and body (by its length, chunks, or up to the close), off a raw connection. */
	public static Response answer(InputStream in) throws IOException {
		return parse(readHead(in), in);
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			head.write(b);
			matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : 0;
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

	private static Response parse(String head, InputStream in) throws IOException {
		String[] lines = head.split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		Map<String, java.util.List<String>> headers = new java.util.LinkedHashMap<>();
		long length = -1;
		boolean chunked = false;
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				String name = lines[i].substring(0, colon).trim();
				String value = lines[i].substring(colon + 1).trim();
				headers.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(value);
				if (name.equalsIgnoreCase("Content-Length")) {
					length = Long.parseLong(value);
				}
				if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
					chunked = true;
				}
			}
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		if (chunked) {
			while (true) {
				String size = readLine(in).trim();
				int chunk = size.isEmpty() ? 0 : Integer.parseInt(size.split(";")[0], 16);
				if (chunk == 0) {
					break;
				}
				body.write(in.readNBytes(chunk));
				readLine(in);
			}
		}
		else if (length >= 0) {
			body.write(in.readNBytes((int) length));
		}
		else {
			// Delimited by the close of the connection, which may end in a reset once the answer is in.
			try {
				in.transferTo(body);
			}
			catch (IOException reset) {
				// keep what arrived
			}
		}
		return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
			if (b != '\r') {
				line.append((char) b);
			}
		}
		return line.toString();
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
