package io.walleye.etl.pipeline;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One GET to the GitHub REST API with the JDK client: sends the token and {@code If-None-Match}, and reads what the
 * ETL acts on — status, body, ETag, the {@code rel="next"} link, the primary rate limit and {@code Retry-After}.
 * Retries and waits are the caller's ({@link Extractor}), which knows the run they belong to.
 */
class GitHubClient {

	private static final Pattern LAST = Pattern.compile("<[^>]*[?&]page=(\\d+)[^>]*>\\s*;\\s*rel=\"last\"");

	private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");

	private final HttpClient http;

	private final @Nullable String token;

	private final Duration timeout;

	GitHubClient(@Nullable String token, Duration timeout) {
		this.http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.followRedirects(HttpClient.Redirect.NORMAL)
			.build();
		this.token = token == null || token.isBlank() ? null : token.trim();
		this.timeout = timeout;
	}

	record Response(int status, @Nullable String body, @Nullable String etag, @Nullable String nextUrl,
			@Nullable Integer lastPage, @Nullable Integer limit, @Nullable Integer remaining, @Nullable Instant resetAt,
			@Nullable Long retryAfterSeconds) {
	}

	Response get(String url, @Nullable String etag) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(timeout)
			.header("Accept", "application/vnd.github+json")
			.header("X-GitHub-Api-Version", "2022-11-28")
			.header("User-Agent", "walleye-etl")
			.GET();
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (etag != null) {
			request.header("If-None-Match", etag);
		}
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		var headers = response.headers();
		return new Response(response.statusCode(), response.statusCode() == 304 ? null : response.body(),
				headers.firstValue("ETag").orElse(null), next(headers.firstValue("Link").orElse(null)),
				lastPage(headers.firstValue("Link").orElse(null)),
				integer(headers.firstValue("X-RateLimit-Limit").orElse(null)),
				integer(headers.firstValue("X-RateLimit-Remaining").orElse(null)),
				headers.firstValue("X-RateLimit-Reset").map(GitHubClient::epoch).orElse(null),
				headers.firstValue("Retry-After").map(GitHubClient::seconds).orElse(null));
	}

	static @Nullable String next(@Nullable String link) {
		if (link == null) {
			return null;
		}
		Matcher matcher = NEXT.matcher(link);
		return matcher.find() ? matcher.group(1) : null;
	}

	static @Nullable Integer lastPage(@Nullable String link) {
		if (link == null) {
			return null;
		}
		Matcher matcher = LAST.matcher(link);
		return matcher.find() ? integer(matcher.group(1)) : null;
	}

	private static @Nullable Integer integer(@Nullable String value) {
		try {
			return value == null ? null : Integer.valueOf(value.trim());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static @Nullable Instant epoch(String value) {
		try {
			return Instant.ofEpochSecond(Long.parseLong(value.trim()));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static @Nullable Long seconds(String value) {
		try {
			return Math.max(0, Long.parseLong(value.trim()));
		}
		catch (NumberFormatException ex) {
			return null; // An HTTP-date Retry-After is rare on GitHub; the caller then backs off on its own.
		}
	}
}
