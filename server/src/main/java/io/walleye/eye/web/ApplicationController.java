package io.walleye.eye.web;

import java.time.Instant;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.eye.Application;
import io.walleye.eye.CreatedApplication;
import io.walleye.eye.Eye;
import io.walleye.identity.IssuedKey;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.Role;

/** Operators register the applications that send events, and issue and revoke their keys. */
@RestController
@RequestMapping("/api/v1/applications")
@ConditionalOnRole(Role.API)
@PreAuthorize("hasRole('OPERATOR')")
@Tag(name = "Applications", description = "The Eye's trusted clients and their API keys")
class ApplicationController {

	private final Eye eye;

	ApplicationController(Eye eye) {
		this.eye = eye;
	}

	record CreateApplication(@Nullable String name) {
	}

	record CreatedResponse(UUID id, String name, String apiKey, UUID apiKeyId, Instant createdAt) {
	}

	record KeyResponse(UUID id, String apiKey, String prefix, Instant createdAt) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Register an application; its first API key is in this response only")
	@ApiResponse(responseCode = "201", description = "Registered")
	@ApiResponse(responseCode = "409", description = "The name is taken")
	CreatedResponse create(@RequestBody CreateApplication request) {
		String name = request.name() == null ? "" : request.name().strip();
		if (name.isEmpty() || name.length() > 255) {
			throw Eye.invalid("name", "must be 1 to 255 characters");
		}
		CreatedApplication created = eye.createApplication(name);
		return new CreatedResponse(created.id(), created.name(), created.key().key(), created.key().id(),
				created.createdAt());
	}

	@GetMapping
	@Operation(summary = "Applications, newest first, with their keys (never the secrets)")
	Page<Application> list(@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return eye.applications(PageRequest.of(limit, cursor));
	}

	@GetMapping("/{id}")
	@Operation(summary = "One application with its keys")
	Application get(@PathVariable UUID id) {
		return eye.application(id)
			.orElseThrow(() -> ApiException.notFound("application_not_found", "No application has id " + id));
	}

	@PostMapping("/{id}/api-keys")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Issue another key; the secret is in this response only")
	KeyResponse issue(@PathVariable UUID id) {
		IssuedKey key = eye.issueKey(id);
		return new KeyResponse(key.id(), key.key(), key.prefix(), key.createdAt());
	}

	@DeleteMapping("/{id}/api-keys/{key_id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Revoke a key; refused everywhere within 5 s")
	void revoke(@PathVariable UUID id, @PathVariable("key_id") UUID keyId) {
		if (!eye.revokeKey(id, keyId)) {
			throw ApiException.notFound("api_key_not_found", "The application has no live key with that id");
		}
	}
}
