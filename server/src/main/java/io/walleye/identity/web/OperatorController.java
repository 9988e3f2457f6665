package io.walleye.identity.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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
import io.walleye.identity.CreatedOperator;
import io.walleye.identity.Identity;
import io.walleye.identity.OperatorView;
import io.walleye.identity.PasswordPolicy;
import io.walleye.identity.Principal;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.Role;

/** Operators manage each other: create (with a password shown once when generated), list, disable, enable. */
@RestController
@RequestMapping("/api/v1/operators")
@ConditionalOnRole(Role.API)
@PreAuthorize("hasRole('OPERATOR')")
@Tag(name = "Operators", description = "The people who run Walleye")
class OperatorController {

	private final Identity identity;

	OperatorController(Identity identity) {
		this.identity = identity;
	}

	record OperatorResponse(UUID id, String username, boolean enabled, Instant createdAt, @Nullable Instant disabledAt) {

		static OperatorResponse of(OperatorView view) {
			return new OperatorResponse(view.id(), view.username(), view.enabled(), view.createdAt(), view.disabledAt());
		}
	}

	record CreateRequest(@NotNull String username, @Nullable String password) {
	}

	record CreatedResponse(UUID id, String username, boolean enabled, Instant createdAt, @Nullable Instant disabledAt,
			@Nullable String generatedPassword) {
	}

	@GetMapping
	@Operation(summary = "Every operator, oldest first, disabled ones included")
	Page<OperatorResponse> list(@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return identity.operators(PageRequest.of(limit, cursor)).map(OperatorResponse::of);
	}

	@GetMapping("/{id}")
	@Operation(summary = "One operator")
	OperatorResponse one(@PathVariable UUID id) {
		return identity.operator(id)
			.map(OperatorResponse::of)
			.orElseThrow(() -> ApiException.notFound("operator_not_found", "No operator has id " + id));
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@ApiResponses({
			@ApiResponse(responseCode = "201", description = "Created; generated_password is set (this once) when no password was sent",
					content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedResponse.class))),
			@ApiResponse(responseCode = "409", description = "operator_exists",
					content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@Operation(summary = "Create an operator",
			description = "username " + PasswordPolicy.USERNAME_RULE + "; password, when sent, " + PasswordPolicy.PASSWORD_RULE
					+ ". Without a password one is generated and answered once as generated_password.")
	CreatedResponse create(@Valid @RequestBody CreateRequest request) {
		CreatedOperator created = identity.createOperator(request.username(), request.password());
		OperatorView view = created.operator();
		return new CreatedResponse(view.id(), view.username(), view.enabled(), view.createdAt(), view.disabledAt(),
				created.generatedPassword());
	}

	@PostMapping("/{id}/disable")
	@ApiResponses({ @ApiResponse(responseCode = "200", description = "The operator, disabled"), @ApiResponse(responseCode = "409", description = "cannot_disable_self, last_operator",
			content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@Operation(summary = "Disable another operator: it cannot sign in and its access tokens stop at once",
			description = "Disabling a disabled operator answers it unchanged. An operator cannot disable itself, nor the last enabled operator (409).")
	OperatorResponse disable(@AuthenticationPrincipal Principal caller, @PathVariable UUID id) {
		return OperatorResponse.of(identity.disableOperator(caller.id(), id));
	}

	@PostMapping("/{id}/enable")
	@ApiResponses({ @ApiResponse(responseCode = "200", description = "The operator, enabled"),
			@ApiResponse(responseCode = "404", description = "operator_not_found",
					content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@Operation(summary = "Enable a disabled operator again: it signs in with its password; its old tokens stay revoked",
			description = "Enabling an enabled operator answers it unchanged.")
	OperatorResponse enable(@AuthenticationPrincipal Principal caller, @PathVariable UUID id) {
		return OperatorResponse.of(identity.enableOperator(caller.id(), id));
	}
}
