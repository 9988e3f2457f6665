package io.walleye.console.security;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

import io.walleye.identity.Identity;
import io.walleye.identity.Identity.SignInRefused;
import io.walleye.identity.Principal;

/**
 * Checks the console's sign-in form against the operator accounts, through the same {@link Identity#signIn} as
 * {@code POST /api/v1/auth/login}, so failures count towards the same lock-out.
 */
final class OperatorAuthenticationProvider implements AuthenticationProvider {

	private final Identity identity;

	OperatorAuthenticationProvider(Identity identity) {
		this.identity = identity;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		String username = authentication.getName() == null ? "" : authentication.getName().trim();
		Object credentials = authentication.getCredentials();
		String password = credentials == null ? "" : credentials.toString();
		if (username.isEmpty() || password.isEmpty()) {
			throw new BadCredentialsException("Enter your username and password");
		}
		try {
			Principal operator = identity.signIn(username, password);
			return new OperatorAuthentication(operator, username);
		}
		catch (SignInRefused refused) {
			if (refused.reason() == SignInRefused.Reason.LOCKED) {
				throw new OperatorLockedException(refused.lockedUntil());
			}
			throw new BadCredentialsException("Wrong username or password");
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

	/** Too many failed sign-ins in a row; carries when the lock ends so the page can say how long to wait. */
	static final class OperatorLockedException extends LockedException {

		private final @Nullable Instant lockedUntil;

		OperatorLockedException(@Nullable Instant lockedUntil) {
			super("Too many failed sign-ins");
			this.lockedUntil = lockedUntil;
		}

		@Nullable Instant lockedUntil() {
			return lockedUntil;
		}
	}
}
