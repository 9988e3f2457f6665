package io.walleye.bench.platform;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import tools.jackson.databind.json.JsonMapper;

import io.walleye.bench.OpenLoop;

/** Small helpers shared by scenarios: signing in, JSON bodies. */
public final class BenchSupport {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private BenchSupport() {
	}

	/** Signs operator admin in and returns the access token. */
	public static String login(OpenLoop loop, String url, String password) throws Exception {
		if (password == null) {
			throw new IllegalArgumentException("give the admin password with --password= or WALLEYE_ADMIN_PASSWORD");
		}
		HttpResponse<String> response = loop.http()
			.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/auth/login"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
						java.util.Map.of("username", "admin", "password", password))))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("admin login failed: " + response.statusCode() + " " + response.body());
		}
		return JSON.readTree(response.body()).get("access_token").asString();
	}
}
