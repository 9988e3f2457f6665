package io.walleye.identity.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.identity.Identity;
import io.walleye.identity.Identity.SignInRefused;
import io.walleye.identity.Principal;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

@RestController
@RequestMapping("/api/v1/auth")
@ConditionalOnRole(Role.API)
@Tag(name = "Authentication", description = "Operators sign in for a bearer access token")
class AuthController {

	private final Identity identity;

	private final Clock clock;

	AuthController(Identity identity, Clock clock) {
		this.identity = identity;
		this.clock = clock;
	}

	record LoginRequest(@NotBlank @Size(max = 200) String username, @NotBlank @Size(max = 200) String password) {
	}

	record LoginResponse(String tokenType, String accessToken, long expiresIn) {
	}

	@PostMapping("/login")
	@Operation(summary = "Sign an operator in", description = "Wrong credentials give 401; five failures in a row lock the username for five minutes (429).")
	LoginResponse login(@Valid @RequestBody LoginRequest request) {
		try {
			Identity.AccessToken token = identity.login(request.username(), request.password());
			return new LoginResponse("Bearer", token.token(), token.expiresInSeconds());
		}
		catch (SignInRefused refused) {
			Instant lockedUntil = refused.lockedUntil();
			if (refused.reason() == SignInRefused.Reason.LOCKED && lockedUntil != null) {
				long wait = Math.max(1, Duration.between(clock.instant(), lockedUntil).toSeconds());
				throw ApiException.tooManyRequests("login_locked",
						"Too many failed sign-ins for this username; try again later", wait);
			}
			throw new ApiException(HttpStatus.UNAUTHORIZED, "invalid_credentials", "Unauthorized",
					"Wrong username or password");
		}
	}

	record Me(String type, java.util.UUID id, @org.jspecify.annotations.Nullable String username) {
	}

	@org.springframework.web.bind.annotation.GetMapping("/me")
	@Operation(summary = "Who the bearer token belongs to")
	Me me(@AuthenticationPrincipal Principal caller) {
		String username = caller.type() == io.walleye.identity.PrincipalType.OPERATOR
				? identity.operatorName(caller.id()).orElse(null) : null;
		return new Me(caller.type().dbValue(), caller.id(), username);
	}

	@PostMapping("/logout")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Revoke the access token (or key) used for this call")
	void logout(@AuthenticationPrincipal Principal caller, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
		identity.logout(caller, authorization.substring("Bearer ".length()).trim());
	}
}
