package io.walleye.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.walleye.identity.persistence.Credentials;
import io.walleye.identity.persistence.LoginThrottle;
import io.walleye.identity.persistence.Operators;
import io.walleye.platform.Ids;

/**
 * The identity module's facade: issues, checks and revokes bearer credentials, and signs operators in and out.
 * Verified credentials are cached for {@code walleye.auth.cache-ttl} (5 s) so that authentication costs a hash and a
 * map look-up on the hot path while a revocation still takes effect everywhere within that time.
 */
@Service
public class Identity {

	static final String API_KEY_PREFIX = "wk_";

	static final String ACCESS_TOKEN_PREFIX = "wt_";

	/** Compared against when the username is unknown, so a miss takes as long as a wrong password. */
	private static final String DUMMY_HASH = "$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z1x9i7QqHppQP5mYp3dX6R9K";

	private final Credentials credentials;

	private final Operators operators;

	private final LoginThrottle throttle;

	private final PasswordEncoder passwords;

	private final IdentityProperties properties;

	private final Clock clock;

	private final Ids ids;

	private final Cache<String, Optional<Principal>> verified;

	Identity(Credentials credentials, Operators operators, LoginThrottle throttle, PasswordEncoder passwords,
			IdentityProperties properties, Clock clock, Ids ids) {
		this.credentials = credentials;
		this.operators = operators;
		this.throttle = throttle;
		this.passwords = passwords;
		this.properties = properties;
		this.clock = clock;
		this.ids = ids;
		this.verified = Caffeine.newBuilder().expireAfterWrite(properties.cacheTtl()).maximumSize(100_000).build();
	}

	/** A new API key for a customer, business or application. */
	@Transactional
	public IssuedKey issueApiKey(PrincipalType type, UUID principalId) {
		String secret = Secrets.generate(API_KEY_PREFIX);
		Instant now = clock.instant();
		UUID id = ids.next();
		String prefix = Secrets.displayPrefix(secret);
		credentials.insert(id, Credentials.API_KEY, type, principalId, prefix, Secrets.hash(secret), now, null);
		return new IssuedKey(id, secret, prefix, now);
	}

	public List<ApiKeyView> apiKeys(PrincipalType type, UUID principalId) {
		return credentials.apiKeys(type, principalId);
	}

	/** Revokes one of the principal's keys; false when it has no such live key. */
	@Transactional
	public boolean revokeApiKey(PrincipalType type, UUID principalId, UUID keyId) {
		return credentials.revokeApiKey(type, principalId, keyId, clock.instant());
	}

	public boolean hasApiKey(PrincipalType type, UUID principalId, UUID keyId) {
		return credentials.apiKeyExists(type, principalId, keyId);
	}

	/** The caller a bearer secret belongs to, if it is live. */
	public Optional<Principal> authenticate(String bearer) {
		if (!bearer.startsWith(API_KEY_PREFIX) && !bearer.startsWith(ACCESS_TOKEN_PREFIX) || bearer.length() > 200) {
			return Optional.empty();
		}
		byte[] hash = Secrets.hash(bearer);
		Instant now = clock.instant();
		Optional<Principal> principal = verified.get(HexFormat.of().formatHex(hash),
				key -> credentials.findLive(hash, now));
		return principal.filter(p -> p.expiresAt() == null || p.expiresAt().isAfter(now));
	}

	/** Checks an operator's password, counting failures and refusing locked usernames. */
	@Transactional(noRollbackFor = SignInRefused.class)
	public Principal signIn(String username, String password) {
		Instant now = clock.instant();
		Optional<Instant> locked = throttle.lockedUntil(username, now);
		if (locked.isPresent()) {
			throw new SignInRefused(SignInRefused.Reason.LOCKED, locked.get());
		}
		Optional<Operators.Operator> operator = operators.findByUsername(username);
		boolean matches = passwords.matches(password, operator.map(Operators.Operator::passwordHash).orElse(DUMMY_HASH));
		if (operator.isEmpty() || !matches) {
			throttle.recordFailure(username, now, properties.maxLoginFailures(), properties.lockDuration());
			throw new SignInRefused(SignInRefused.Reason.BAD_CREDENTIALS, null);
		}
		throttle.clear(username);
		return new Principal(PrincipalType.OPERATOR, operator.get().id(), operator.get().id(), null);
	}

	/** Signs an operator in and issues an access token. */
	@Transactional(noRollbackFor = SignInRefused.class)
	public AccessToken login(String username, String password) {
		Principal operator = signIn(username, password);
		String secret = Secrets.generate(ACCESS_TOKEN_PREFIX);
		Instant now = clock.instant();
		Duration ttl = properties.accessTokenTtl();
		credentials.insert(ids.next(), Credentials.ACCESS_TOKEN, PrincipalType.OPERATOR, operator.id(),
				Secrets.displayPrefix(secret), Secrets.hash(secret), now, now.plus(ttl));
		return new AccessToken(secret, ttl.toSeconds());
	}

	/** Revokes the credential the caller used; effective at once on this node. */
	@Transactional
	public void logout(Principal caller, String bearer) {
		credentials.revoke(caller.credentialId(), clock.instant());
		verified.invalidate(HexFormat.of().formatHex(Secrets.hash(bearer)));
	}

	public Optional<String> operatorName(UUID operatorId) {
		return operators.usernameOf(operatorId);
	}

	/** Creates the first operator once; returns the generated password when one had to be made up. */
	@Transactional
	public Optional<String> ensureOperator(String username, Optional<String> password) {
		String chosen = password.filter(p -> !p.isBlank()).orElseGet(() -> Secrets.generate("").substring(0, 20));
		boolean created = operators.createIfAbsent(ids.next(), username, passwords.encode(chosen), clock.instant());
		return created && password.filter(p -> !p.isBlank()).isEmpty() ? Optional.of(chosen) : Optional.empty();
	}

	public record AccessToken(String token, long expiresInSeconds) {
	}

	/** Sign-in refused: wrong credentials, or too many failures in a row. */
	public static final class SignInRefused extends RuntimeException {

		public enum Reason {
			BAD_CREDENTIALS, LOCKED
		}

		private final Reason reason;

		private final @Nullable Instant lockedUntil;

		SignInRefused(Reason reason, @Nullable Instant lockedUntil) {
			super(reason.name(), null, false, false);
			this.reason = reason;
			this.lockedUntil = lockedUntil;
		}

		public Reason reason() {
			return reason;
		}

		/** Until when sign-in stays locked; null for wrong credentials. */
		public @Nullable Instant lockedUntil() {
			return lockedUntil;
		}
	}
}
