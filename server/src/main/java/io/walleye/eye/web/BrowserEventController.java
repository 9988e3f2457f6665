package io.walleye.eye.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.eye.BrowserKeys;
import io.walleye.eye.BrowserProperties;
import io.walleye.eye.EyeProperties;
import io.walleye.eye.PublishableKey;
import io.walleye.eye.intake.QueuedEvent;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Ids;
import io.walleye.platform.PublicEndpoint;
import io.walleye.platform.Role;

/**
 * Events from visitors' browsers, sent by the tracker ({@code /eye.js}) with a publishable key in the body. The same
 * path as {@code POST /api/v1/events} ({@link Ingestion}: envelope checks, limits, dedup, durability, 202), after the
 * checks a public key needs: the key is live, the page's origin is one it allows, and neither the key nor the client
 * address is over its rate.
 */
@RestController
@ConditionalOnRole(Role.API)
@Tag(name = "Events", description = "The Eye: send events, query stored and failed events")
class BrowserEventController {

	static final String PATH = "/api/v1/browser/events";

	/** Enough to tell browsers apart; longer user agents are cut here rather than stored whole with every event. */
	private static final int MAX_USER_AGENT = 512;

	private final Ingestion ingestion;

	private final BrowserKeys keys;

	private final RateLimiter limiter;

	private final BrowserProperties limits;

	private final JsonMapper json;

	private final Ids ids;

	private final Clock clock;

	private final EyeProperties properties;

	BrowserEventController(Ingestion ingestion, BrowserKeys keys, RateLimiter limiter, BrowserProperties limits,
			JsonMapper json, Ids ids, Clock clock, EyeProperties properties) {
		this.ingestion = ingestion;
		this.keys = keys;
		this.limiter = limiter;
		this.limits = limits;
		this.json = json;
		this.ids = ids;
		this.clock = clock;
		this.properties = properties;
	}

	@PostMapping(path = PATH, consumes = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE })
	@SecurityRequirements
	@Operation(summary = "Send events from a web page with a publishable key; 202 once they are durable",
			description = "The body is JSON, sent as application/json or as text/plain (so that navigator.sendBeacon "
					+ "and fetch need no CORS preflight). The Origin header must be one of the key's allowed origins. "
					+ "Each event is checked as in POST /api/v1/events; the server adds context.origin and "
					+ "context.user_agent.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					description = "{\"key\": \"pk_…\", \"events\": [1 to 500 events]} (body ≤ 1 MiB, event ≤ 32 KiB)",
					content = { @Content(mediaType = "application/json", examples = @ExampleObject(value = """
							{"key": "pk_2xQ9vR7mN4kL8pT3wZ6yB1cD5fG0hJ2s",
							 "events": [{"id": "7a0b1d0e-3c4f-4b7a-9a55-2f7f0c1d2e3f",
							             "session_id": "e2085be5-9137-4e4e-80b5-f1ffddc25423",
							             "category": "page interaction", "name": "pageview",
							             "timestamp": "2021-01-01T09:15:27.243Z",
							             "data": {"host": "www.example.com", "path": "/"}}]}""")),
							@Content(mediaType = "text/plain") }),
			responses = { @ApiResponse(responseCode = "202", description = "Accepted and durable"),
					@ApiResponse(responseCode = "400",
							description = "Malformed JSON, no key, or envelope errors: errors[{index, field, message}]"),
					@ApiResponse(responseCode = "401", description = "The publishable key is unknown or revoked"),
					@ApiResponse(responseCode = "403",
							description = "origin_not_allowed: no Origin, or one the key does not allow"),
					@ApiResponse(responseCode = "413", description = "Body, event or batch too large"),
					@ApiResponse(responseCode = "429", description = "rate_limited (per key or per client address) or "
							+ "backlog_full; retry after Retry-After seconds") })
	ResponseEntity<Ingestion.Accepted> ingest(HttpServletRequest request) throws IOException {
		// The address first, before any work: a flood of made-up keys is still one address's flood.
		limit("address:" + request.getRemoteAddr(), limits.perAddress(), "this client address");
		byte[] body = ingestion.read(request);
		String text = Envelopes.browserKey(body, json);
		PublishableKey key = keys.live(text)
			.orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, "invalid_publishable_key", "Unauthorized",
					"The publishable key is unknown or revoked"));
		String origin = BrowserKeys.normalizeOrigin(String.valueOf(request.getHeader(HttpHeaders.ORIGIN)));
		if (origin == null || !key.allowedOrigins().contains(origin)) {
			throw ApiException.forbidden("origin_not_allowed",
					"This page's origin is not among the publishable key's allowed origins");
		}
		limit("key:" + key.id(), limits.perKey(), "this publishable key");
		ingestion.requireRoom();
		String context = context(origin, request.getHeader(HttpHeaders.USER_AGENT));
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(ingestion.accept(body, bytes -> {
			List<QueuedEvent> events = Envelopes.parseBrowser(bytes, key.applicationId(), clock.instant(), json, ids,
					properties);
			return events.stream().map(event -> event.withContext(context)).toList();
		}));
	}

	private void limit(String bucket, int perSecond, String what) {
		Duration wait = limiter.tryConsume(bucket, perSecond);
		if (!wait.isZero()) {
			throw ApiException.tooManyRequests("rate_limited",
					"Too many requests from " + what + "; retry after the time in Retry-After",
					(wait.toMillis() + 999) / 1000);
		}
	}

	/** What the server adds to each event: the page's origin and the browser's user agent (when it sent one). */
	private String context(String origin, @Nullable String userAgent) {
		Map<String, String> context = new LinkedHashMap<>();
		context.put("origin", origin);
		if (userAgent != null && !userAgent.isBlank()) {
			String cut = userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) : userAgent;
			if (Envelopes.unstorable(cut) == null) {
				context.put("user_agent", cut);
			}
		}
		return json.writeValueAsString(context);
	}

	/** Open to anonymous callers (the publishable key in the body is the credential), preflights included. */
	@Configuration(proxyBeanMethods = false)
	static class OpenEndpoints {

		@Bean
		PublicEndpoint browserEvents() {
			return new PublicEndpoint(null, PATH);
		}
	}
}
