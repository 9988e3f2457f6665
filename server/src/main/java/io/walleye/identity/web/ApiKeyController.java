package io.walleye.identity.web;

import java.time.Instant;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.identity.ApiKeyView;
import io.walleye.identity.Identity;
import io.walleye.identity.IssuedKey;
import io.walleye.identity.Principal;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
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

	@io.swagger.v3.oas.annotations.media.Schema(name = "ApiKey")
	record KeyResponse(UUID id, String prefix, Instant createdAt, @Nullable Instant revokedAt) {

		static KeyResponse of(ApiKeyView view) {
			return new KeyResponse(view.id(), view.prefix(), view.createdAt(), view.revokedAt());
		}
	}

	record NewKeyResponse(UUID id, String apiKey, String prefix, Instant createdAt) {
	}

	@GetMapping
	@Operation(summary = "The caller's API keys (never the secrets), oldest first, revoked ones included")
	Page<KeyResponse> list(@AuthenticationPrincipal Principal caller,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return identity.apiKeys(caller.type(), caller.id(), PageRequest.of(limit, cursor)).map(KeyResponse::of);
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@ApiResponses(@ApiResponse(responseCode = "201", description = "Issued; the secret is in api_key, this once",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = NewKeyResponse.class))))
	@Operation(summary = "Issue another key; the secret is shown only in this response")
	NewKeyResponse issue(@AuthenticationPrincipal Principal caller) {
		IssuedKey key = identity.issueApiKey(caller.type(), caller.id());
		return new NewKeyResponse(key.id(), key.key(), key.prefix(), key.createdAt());
	}

	@DeleteMapping("/{keyId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@ApiResponses({ @ApiResponse(responseCode = "204", description = "Revoked"),
			@ApiResponse(responseCode = "409", description = "last_api_key: it is the caller's only live key; issue another first",
					content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@Operation(summary = "Revoke one of the caller's keys: refused at once on this node, everywhere within 5 s; never the last live key (409)")
	void revoke(@AuthenticationPrincipal Principal caller, @PathVariable UUID keyId) {
		identity.revokeOwnApiKey(caller, keyId);
	}
}
