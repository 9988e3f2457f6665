package io.walleye.identity.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.identity.Identity;
import io.walleye.identity.Identity.SignInRefused;
import io.walleye.identity.PasswordPolicy;
import io.walleye.identity.Principal;
import io.walleye.identity.PrincipalType;
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
	@Operation(summary = "Sign an operator in", description = "Wrong credentials, or a disabled operator, give 401; five failures in a row lock the username for five minutes (429).")
	LoginResponse login(@Valid @RequestBody LoginRequest request) {
		try {
			Identity.AccessToken token = identity.login(request.username(), request.password());
			return new LoginResponse("Bearer", token.token(), token.expiresInSeconds());
		}
		catch (SignInRefused refused) {
			Instant until = refused.lockedUntil();
			if (refused.reason() == SignInRefused.Reason.LOCKED && until != null) {
				long wait = Math.max(1, Duration.between(clock.instant(), until).toSeconds());
				throw ApiException.tooManyRequests("login_locked",
						"Too many failed sign-ins for this username; try again later", wait);
			}
			throw new ApiException(HttpStatus.UNAUTHORIZED, "invalid_credentials", "Unauthorized",
					"Wrong username or password");
		}
	}

	record Me(String type, UUID id, @Nullable String username) {
	}

	@GetMapping("/me")
	@Operation(summary = "Who the bearer token belongs to")
	Me me(@AuthenticationPrincipal Principal caller) {
		String username = caller.is(PrincipalType.OPERATOR) ? identity.operatorName(caller.id()).orElse(null) : null;
		return new Me(caller.type().dbValue(), caller.id(), username);
	}

	@PostMapping("/logout")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@ApiResponses(@ApiResponse(responseCode = "204", description = "The access token is revoked"))
	@Operation(summary = "Revoke the operator's access token used for this call",
			description = "For operators' access tokens only: an API key answers 400 not_an_access_token and stays valid (revoke it with DELETE /api/v1/api-keys/{id}).")
	void logout(@AuthenticationPrincipal Principal caller) {
		identity.logout(caller);
	}

	record PasswordChange(@NotNull @Size(max = 200) String currentPassword, @NotNull String newPassword) {
	}

	@PostMapping("/password")
	@PreAuthorize("hasRole('OPERATOR')")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@ApiResponses(@ApiResponse(responseCode = "204", description = "Changed; access tokens already issued stay valid"))
	@Operation(summary = "Change the signed-in operator's password",
			description = "current_password must be the operator's password (else 403 wrong_password); new_password "
					+ PasswordPolicy.PASSWORD_RULE + " (else 400 validation_failed).")
	void changePassword(@AuthenticationPrincipal Principal caller, @Valid @RequestBody PasswordChange request) {
		identity.changePassword(caller.id(), request.currentPassword(), request.newPassword());
	}
}
