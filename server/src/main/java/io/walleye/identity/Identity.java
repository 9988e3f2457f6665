package io.walleye.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.walleye.identity.persistence.Credentials;
import io.walleye.identity.persistence.LoginThrottle;
import io.walleye.identity.persistence.Operators;
import io.walleye.platform.ApiException;
import io.walleye.platform.Cursor;
import io.walleye.platform.FieldError;
import io.walleye.platform.Ids;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;

/**
 * The identity module's facade: issues, checks and revokes bearer credentials, and signs operators in and out.
 * Verified credentials are cached for {@code walleye.auth.cache-ttl} (5 s) so that authentication costs a hash and a
 * map look-up on the hot path; every revocation evicts the credential from this node's cache at once, and other nodes
 * stop trusting it within that time.
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

	/** Every key of the principal, oldest first. */
	public List<ApiKeyView> apiKeys(PrincipalType type, UUID principalId) {
		return credentials.apiKeys(type, principalId, null, Integer.MAX_VALUE);
	}

	public Page<ApiKeyView> apiKeys(PrincipalType type, UUID principalId, PageRequest page) {
		List<ApiKeyView> rows = credentials.apiKeys(type, principalId, page.decodeCursor(2), page.fetchSize());
		return Page.of(rows, page.limit(), key -> Cursor.of(key.createdAt(), key.id()));
	}

	/** Revokes one of the principal's keys, effective at once on this node; false when it has no such live key. */
	@Transactional
	public boolean revokeApiKey(PrincipalType type, UUID principalId, UUID keyId) {
		Optional<byte[]> revoked = credentials.revokeApiKey(type, principalId, keyId, clock.instant());
		revoked.ifPresent(this::forget);
		return revoked.isPresent();
	}

	/**
	 * A key holder revokes one of its own keys; never its last live one, which would lock it out for good (a customer
	 * could not reach the money in its wallet again).
	 */
	@Transactional
	public void revokeOwnApiKey(Principal holder, UUID keyId) {
		List<UUID> live = credentials.lockLiveApiKeys(holder.type(), holder.id());
		if (!live.contains(keyId)) {
			throw ApiException.notFound("api_key_not_found", "You have no live API key with that id");
		}
		if (live.size() == 1) {
			throw ApiException.conflict("last_api_key",
					"This is your only live API key; issue another (POST /api/v1/api-keys) before revoking it");
		}
		revokeApiKey(holder.type(), holder.id(), keyId);
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
		if (!operator.get().enabled()) {
			// The right password of a disabled operator is not a guess: refuse it without counting a failure.
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

	/** Ends an operator's access token, effective at once on this node; API keys are revoked, not logged out. */
	@Transactional
	public void logout(Principal caller) {
		if (!caller.is(PrincipalType.OPERATOR)) {
			throw ApiException.badRequest("not_an_access_token",
					"Logout ends an operator's access token; an API key stays valid until it is revoked "
							+ "with DELETE /api/v1/api-keys/{id}");
		}
		credentials.revoke(caller.credentialId(), clock.instant()).ifPresent(this::forget);
	}

	public Optional<String> operatorName(UUID operatorId) {
		return operators.usernameOf(operatorId);
	}

	/** Creates the first operator once; returns the generated password when one had to be made up. */
	@Transactional
	public Optional<String> ensureOperator(String username, Optional<String> password) {
		String chosen = password.filter(p -> !p.isBlank()).orElseGet(Secrets::password);
		boolean created = operators.createIfAbsent(ids.next(), username, passwords.encode(chosen), clock.instant());
		return created && password.filter(p -> !p.isBlank()).isEmpty() ? Optional.of(chosen) : Optional.empty();
	}

	/** Whether this is the operator's password (e.g. the configured one of an operator that exists already). */
	public boolean hasPassword(String username, String password) {
		return operators.findByUsername(username).filter(o -> passwords.matches(password, o.passwordHash())).isPresent();
	}

	/** The signed-in operator changes its own password; its access tokens stay valid. */
	@Transactional
	public void changePassword(UUID operatorId, String currentPassword, String newPassword) {
		Operators.Operator operator = operators.lock(operatorId)
			.filter(Operators.Operator::enabled)
			.orElseThrow(() -> ApiException.forbidden("forbidden", "This operator is disabled"));
		if (!passwords.matches(currentPassword, operator.passwordHash())) {
			throw ApiException.forbidden("wrong_password", "current_password is not this operator's password");
		}
		PasswordPolicy.passwordProblem(newPassword).ifPresent(problem -> {
			throw invalid("new_password", problem);
		});
		operators.setPassword(operatorId, passwords.encode(newPassword), clock.instant());
	}

	/** A new operator, with the given password or, when there is none, a generated one shown once. */
	@Transactional
	public CreatedOperator createOperator(String username, @Nullable String password) {
		PasswordPolicy.usernameProblem(username).ifPresent(problem -> {
			throw invalid("username", problem);
		});
		if (password != null) {
			PasswordPolicy.passwordProblem(password).ifPresent(problem -> {
				throw invalid("password", problem);
			});
		}
		String chosen = password != null ? password : Secrets.password();
		UUID id = ids.next();
		if (!operators.createIfAbsent(id, username, passwords.encode(chosen), clock.instant())) {
			throw ApiException.conflict("operator_exists", "An operator named '" + username + "' exists already");
		}
		OperatorView created = operators.find(id).orElseThrow();
		return new CreatedOperator(created, password == null ? chosen : null);
	}

	public Page<OperatorView> operators(PageRequest page) {
		List<OperatorView> rows = operators.page(page.decodeCursor(2), page.fetchSize());
		return Page.of(rows, page.limit(), operator -> Cursor.of(operator.createdAt(), operator.id()));
	}

	public Optional<OperatorView> operator(UUID id) {
		return operators.find(id);
	}

	/** False for a disabled or unknown operator: what a console session checks on every request. */
	public boolean operatorEnabled(UUID id) {
		return operators.find(id).filter(OperatorView::enabled).isPresent();
	}

	/**
	 * Disables another operator: it can no longer sign in and its access tokens stop at once (on other nodes within
	 * the cache TTL). Never oneself, never the last enabled operator; disabling a disabled operator changes nothing.
	 */
	@Transactional
	public OperatorView disableOperator(UUID actorId, UUID targetId) {
		if (actorId.equals(targetId)) {
			throw ApiException.conflict("cannot_disable_self", "An operator cannot disable itself; ask another operator");
		}
		List<UUID> enabled = operators.lockEnabled();
		OperatorView target = operators.find(targetId)
			.orElseThrow(() -> ApiException.notFound("operator_not_found", "No operator has id " + targetId));
		if (!target.enabled()) {
			return target;
		}
		if (!enabled.contains(actorId)) {
			throw ApiException.forbidden("forbidden", "This operator is disabled");
		}
		if (enabled.size() <= 1) {
			throw ApiException.conflict("last_operator", "The last enabled operator cannot be disabled");
		}
		Instant now = clock.instant();
		operators.disable(targetId, now);
		credentials.revokeAll(PrincipalType.OPERATOR, targetId, now).forEach(this::forget);
		return operators.find(targetId).orElseThrow();
	}

	/**
	 * Enables a disabled operator again: it signs in with its password (its tokens were revoked when it was disabled
	 * and stay so). Enabling an enabled operator changes nothing.
	 */
	@Transactional
	public OperatorView enableOperator(UUID actorId, UUID targetId) {
		List<UUID> enabled = operators.lockEnabled();
		OperatorView target = operators.find(targetId)
			.orElseThrow(() -> ApiException.notFound("operator_not_found", "No operator has id " + targetId));
		if (target.enabled()) {
			return target;
		}
		if (!enabled.contains(actorId)) {
			throw ApiException.forbidden("forbidden", "This operator is disabled");
		}
		operators.enable(targetId);
		return operators.find(targetId).orElseThrow();
	}

	/**
	 * The offline reset: a new generated password for the operator, its access tokens revoked and its sign-in lock
	 * lifted; empty when there is no such operator.
	 */
	@Transactional
	public Optional<String> resetPassword(String username) {
		Optional<Operators.Operator> operator = operators.findByUsername(username)
			.flatMap(found -> operators.lock(found.id()));
		if (operator.isEmpty()) {
			return Optional.empty();
		}
		String generated = Secrets.password();
		Instant now = clock.instant();
		operators.setPassword(operator.get().id(), passwords.encode(generated), now);
		credentials.revokeAll(PrincipalType.OPERATOR, operator.get().id(), now).forEach(this::forget);
		throttle.clear(username);
		return Optional.of(generated);
	}

	/**
	 * Drops a revoked credential from this node's cache, so the revocation holds from the next request on. After the
	 * commit: evicted earlier, a request in between would read the still-live row and cache it again.
	 */
	private void forget(byte[] secretHash) {
		String key = HexFormat.of().formatHex(secretHash);
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					verified.invalidate(key);
				}
			});
		}
		else {
			verified.invalidate(key);
		}
	}

	private static ApiException invalid(String field, String message) {
		return new ApiException(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed",
				field + " " + message)
			.with("errors", List.of(FieldError.of(field, message)));
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
