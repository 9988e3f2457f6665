package io.walleye.identity.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.identity.ApiKeyView;
import io.walleye.identity.Identity;
import io.walleye.identity.IssuedKey;
import io.walleye.identity.Principal;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/** Key rotation for key holders: list your keys, issue another, revoke one (e.g. after a leak). */
@RestController
@RequestMapping("/api/v1/api-keys")
@ConditionalOnRole(Role.API)
@PreAuthorize("hasAnyRole('CUSTOMER', 'BUSINESS', 'APPLICATION')")
@Tag(name = "API keys", description = "Rotate the caller's own API keys")
class ApiKeyController {

	private final Identity identity;

	ApiKeyController(Identity identity) {
		this.identity = identity;
	}

	// named apart from The Eye's KeyResponse, which springdoc would otherwise merge into one schema
	@io.swagger.v3.oas.annotations.media.Schema(name = "ApiKey")
	record KeyResponse(UUID id, String prefix, Instant createdAt, @Nullable Instant revokedAt) {

		static KeyResponse of(ApiKeyView view) {
			return new KeyResponse(view.id(), view.prefix(), view.createdAt(), view.revokedAt());
		}
	}

	record NewKeyResponse(UUID id, String apiKey, String prefix, Instant createdAt) {
	}

	@GetMapping
	@Operation(summary = "The caller's API keys (never the secrets)")
	List<KeyResponse> list(@AuthenticationPrincipal Principal caller) {
		return identity.apiKeys(caller.type(), caller.id()).stream().map(KeyResponse::of).toList();
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Issue another key; the secret is shown only in this response")
	NewKeyResponse issue(@AuthenticationPrincipal Principal caller) {
		IssuedKey key = identity.issueApiKey(caller.type(), caller.id());
		return new NewKeyResponse(key.id(), key.key(), key.prefix(), key.createdAt());
	}

	@DeleteMapping("/{keyId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Revoke one of the caller's keys; refused everywhere within 5 s")
	void revoke(@AuthenticationPrincipal Principal caller, @PathVariable UUID keyId) {
		if (!identity.revokeApiKey(caller.type(), caller.id(), keyId)) {
			throw ApiException.notFound("api_key_not_found", "You have no live API key with that id");
		}
	}
}
