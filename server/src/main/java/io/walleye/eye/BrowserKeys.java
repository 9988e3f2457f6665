package io.walleye.eye;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.walleye.eye.persistence.Applications;
import io.walleye.eye.persistence.PublishableKeys;
import io.walleye.platform.ApiException;
import io.walleye.platform.FieldError;
import io.walleye.platform.Ids;

/**
 * Publishable keys ({@code pk_…}): issued per application with the origins allowed to use them, listed, revoked, and
 * looked up on every browser request. Look-ups are cached for a few seconds (as secret keys are), so a revoked key
 * or a removed origin is refused by every node within {@link #CACHE_TTL}.
 */
@Service
public class BrowserKeys {

	public static final String PREFIX = "pk_";

	static final Duration CACHE_TTL = Duration.ofSeconds(5);

	/** A site has a few origins (www, apex, staging); more is a sign the key should be split. */
	static final int MAX_ORIGINS = 20;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final PublishableKeys keys;

	private final Applications applications;

	private final Ids ids;

	private final Clock clock;

	private final Cache<String, Optional<PublishableKey>> byKey = Caffeine.newBuilder()
		.expireAfterWrite(CACHE_TTL)
		.maximumSize(10_000)
		.build();

	private final Cache<String, Boolean> originsAllowed = Caffeine.newBuilder()
		.expireAfterWrite(CACHE_TTL)
		.maximumSize(10_000)
		.build();

	BrowserKeys(PublishableKeys keys, Applications applications, Ids ids, Clock clock) {
		this.keys = keys;
		this.applications = applications;
		this.ids = ids;
		this.clock = clock;
	}

	@Transactional
	public PublishableKey issue(UUID applicationId, List<String> origins) {
		requireApplication(applicationId);
		List<String> allowed = normalizedOrigins(origins);
		PublishableKeys.Row row = new PublishableKeys.Row(ids.next(), applicationId, generate(), allowed,
				clock.instant(), null);
		keys.insert(row);
		originsAllowed.invalidateAll();
		return view(row);
	}

	public List<PublishableKey> ofApplication(UUID applicationId) {
		requireApplication(applicationId);
		return keys.ofApplication(applicationId).stream().map(BrowserKeys::view).toList();
	}

	/** False when the application has no live key with that id. */
	@Transactional
	public boolean revoke(UUID applicationId, UUID keyId) {
		requireApplication(applicationId);
		boolean revoked = keys.revoke(applicationId, keyId, clock.instant());
		if (revoked) {
			byKey.invalidateAll();
			originsAllowed.invalidateAll();
		}
		return revoked;
	}

	/** The live key with this text, if any. */
	public Optional<PublishableKey> live(String key) {
		if (!key.startsWith(PREFIX) || key.length() > 64) {
			return Optional.empty();
		}
		return byKey.get(key, text -> keys.live(text).map(BrowserKeys::view));
	}

	/** Whether some live key allows the origin (the exact, normalised {@code Origin} header). */
	public boolean anyKeyAllows(String origin) {
		String normalized = normalizeOrigin(origin);
		return normalized != null && originsAllowed.get(normalized, keys::anyLiveAllows);
	}

	/**
	 * The origin as browsers send it ({@code scheme://host[:port]}, lower case, no default port), or null when the
	 * text is not an http(s) origin: a path, query, fragment, user info or wildcard is not part of one.
	 */
	public static @Nullable String normalizeOrigin(String text) {
		URI uri;
		try {
			uri = new URI(text.strip());
		}
		catch (URISyntaxException ex) {
			return null;
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
				|| !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
				|| uri.getRawFragment() != null) {
			return null;
		}
		int port = uri.getPort();
		boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
				|| (scheme.equals("https") && port == 443);
		return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
	}

	private static List<String> normalizedOrigins(List<String> origins) {
		List<FieldError> errors = new ArrayList<>();
		Set<String> normalized = new LinkedHashSet<>();
		if (origins.isEmpty() || origins.size() > MAX_ORIGINS) {
			errors.add(FieldError.of("allowed_origins", "must list 1 to " + MAX_ORIGINS + " origins"));
		}
		for (int i = 0; i < origins.size() && i < MAX_ORIGINS; i++) {
			String origin = origins.get(i) == null ? null : normalizeOrigin(origins.get(i));
			if (origin == null) {
				errors.add(FieldError.of("allowed_origins[" + i + "]",
						"must be an origin: http(s)://host[:port], without path or wildcard"));
			}
			else {
				normalized.add(origin);
			}
		}
		if (!errors.isEmpty()) {
			throw new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, "validation_failed",
					"Validation failed", errors.getFirst().field() + " " + errors.getFirst().message())
				.with("errors", errors);
		}
		return List.copyOf(normalized);
	}

	private void requireApplication(UUID applicationId) {
		if (applications.find(applicationId).isEmpty()) {
			throw ApiException.notFound("application_not_found", "No application has id " + applicationId);
		}
	}

	/** {@code pk_} and 32 URL-safe characters: 192 random bits, so keys cannot be guessed or enumerated. */
	private static String generate() {
		byte[] bytes = new byte[24];
		RANDOM.nextBytes(bytes);
		return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static PublishableKey view(PublishableKeys.Row row) {
		return new PublishableKey(row.id(), row.applicationId(), row.key(), row.allowedOrigins(), row.createdAt(),
				row.revokedAt());
	}
}
