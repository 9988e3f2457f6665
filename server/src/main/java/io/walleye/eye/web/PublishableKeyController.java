package io.walleye.eye.web;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.eye.BrowserKeys;
import io.walleye.eye.Eye;
import io.walleye.eye.PublishableKey;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Page;
import io.walleye.platform.Role;

/** Operators issue, list and revoke an application's publishable keys, the ones its web pages embed. */
@RestController
@RequestMapping("/api/v1/applications/{id}/publishable-keys")
@ConditionalOnRole(Role.API)
@PreAuthorize("hasRole('OPERATOR')")
@Tag(name = "Applications", description = "The Eye's trusted clients and their API keys")
class PublishableKeyController {

	private final BrowserKeys keys;

	PublishableKeyController(BrowserKeys keys) {
		this.keys = keys;
	}

	record IssueKey(@Nullable List<String> allowedOrigins) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Issue a publishable key (pk_…) for web pages served from the allowed origins")
	@ApiResponse(responseCode = "201", description = "Issued")
	@ApiResponse(responseCode = "400", description = "allowed_origins missing, more than 20, or not origins")
	@ApiResponse(responseCode = "404", description = "No such application")
	PublishableKey issue(@PathVariable UUID id, @RequestBody IssueKey request) {
		if (request.allowedOrigins() == null) {
			throw Eye.invalid("allowed_origins", "is required: the origins (https://www.example.com) of the pages");
		}
		return keys.issue(id, request.allowedOrigins());
	}

	@GetMapping
	@Operation(summary = "The application's publishable keys, newest first, revoked ones included")
	@ApiResponse(responseCode = "200", description = "The keys, all on one page")
	@ApiResponse(responseCode = "404", description = "No such application")
	Page<PublishableKey> list(@PathVariable UUID id) {
		return new Page<>(keys.ofApplication(id), null);
	}

	@DeleteMapping("/{key_id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Revoke a publishable key; refused everywhere within 5 s")
	@ApiResponse(responseCode = "404", description = "No such application, or no live key with that id")
	void revoke(@PathVariable UUID id, @PathVariable("key_id") UUID keyId) {
		if (!keys.revoke(id, keyId)) {
			throw ApiException.notFound("publishable_key_not_found",
					"The application has no live publishable key with that id");
		}
	}
}
