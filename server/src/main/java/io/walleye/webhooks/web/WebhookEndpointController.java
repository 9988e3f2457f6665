package io.walleye.webhooks.web;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
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
import io.walleye.identity.Principal;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.Role;
import io.walleye.webhooks.CreatedEndpoint;
import io.walleye.webhooks.DeliveryView;
import io.walleye.webhooks.EndpointView;
import io.walleye.webhooks.RotatedSecret;
import io.walleye.webhooks.WebhookEndpoints;

/** Webhook endpoints, each managed by its owner: create, list, change, delete, rotate the secret, test, deliveries. */
@RestController
@ConditionalOnRole(Role.API)
@PreAuthorize("hasAnyRole('CUSTOMER', 'BUSINESS', 'OPERATOR')")
@io.swagger.v3.oas.annotations.tags.Tag(name = "Webhooks", description = "Signed webhook endpoints and their deliveries")
class WebhookEndpointController {

	private final WebhookEndpoints endpoints;

	WebhookEndpointController(WebhookEndpoints endpoints) {
		this.endpoints = endpoints;
	}

	record CreateRequest(@Nullable String url, @Nullable List<String> eventTypes, @Nullable String description) {
	}

	record UpdateRequest(@Nullable String url, @Nullable List<String> eventTypes, @Nullable String description,
			@Nullable Boolean enabled) {
	}

	record EndpointPage(List<EndpointView> items, @Nullable String nextCursor) {
	}

	record DeliveryPage(List<DeliveryView> items, @Nullable String nextCursor) {
	}

	private static final String PROBLEM = "application/problem+json";

	@PostMapping("/api/v1/webhook-endpoints")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Register an endpoint; the answer carries its signing secret, shown this once")
	@ApiResponse(responseCode = "201", description = "Created, with secret")
	@ApiResponse(responseCode = "422", description = "url_not_allowed: not https, or a private, loopback or link-local host; endpoint_limit_reached: the owner has WALLEYE_WEBHOOKS_MAX_ENDPOINTS (16) already",
			content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
	CreatedEndpoint create(@AuthenticationPrincipal Principal caller, @RequestBody CreateRequest request) {
		return endpoints.create(caller, request.url(), request.eventTypes(), request.description());
	}

	@GetMapping("/api/v1/webhook-endpoints")
	@Operation(summary = "The caller's endpoints (operators: the operators' endpoints), oldest first")
	@ApiResponse(responseCode = "200", description = "A page of endpoints",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = EndpointPage.class)))
	Page<EndpointView> list(@AuthenticationPrincipal Principal caller,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return endpoints.list(caller, PageRequest.of(limit, cursor));
	}

	@GetMapping("/api/v1/webhook-endpoints/{id}")
	@Operation(summary = "One of the caller's endpoints; anyone else's is 404")
	EndpointView one(@AuthenticationPrincipal Principal caller, @PathVariable UUID id) {
		return endpoints.get(caller, id);
	}

	@PatchMapping("/api/v1/webhook-endpoints/{id}")
	@Operation(summary = "Change url, event_types, description or enabled; enabling again clears the failure count")
	@ApiResponse(responseCode = "200", description = "The endpoint as changed")
	@ApiResponse(responseCode = "422", description = "url_not_allowed",
			content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
	EndpointView update(@AuthenticationPrincipal Principal caller, @PathVariable UUID id,
			@RequestBody UpdateRequest request) {
		return endpoints.update(caller, id, request.url(), request.eventTypes(), request.description(),
				request.enabled());
	}

	@DeleteMapping("/api/v1/webhook-endpoints/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Delete the endpoint and its deliveries")
	@ApiResponse(responseCode = "204", description = "Deleted")
	void delete(@AuthenticationPrincipal Principal caller, @PathVariable UUID id) {
		endpoints.delete(caller, id);
	}

	@PostMapping("/api/v1/webhook-endpoints/{id}/rotate-secret")
	@Operation(summary = "A new secret, shown once; the previous one keeps signing beside it for 24 h")
	@ApiResponse(responseCode = "200", description = "The new secret and when the previous one stops signing")
	RotatedSecret rotate(@AuthenticationPrincipal Principal caller, @PathVariable UUID id) {
		return endpoints.rotate(caller, id);
	}

	@PostMapping("/api/v1/webhook-endpoints/{id}/test")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(summary = "Send a webhook.test event to this endpoint; the answer is its delivery, still pending")
	@ApiResponse(responseCode = "202", description = "The test delivery")
	@ApiResponse(responseCode = "409", description = "endpoint_disabled",
			content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
	DeliveryView test(@AuthenticationPrincipal Principal caller, @PathVariable UUID id) {
		return endpoints.test(caller, id);
	}

	@GetMapping("/api/v1/webhook-endpoints/{id}/deliveries")
	@Operation(summary = "The endpoint's deliveries, newest first, each with its attempts; status filters")
	@ApiResponse(responseCode = "200", description = "A page of deliveries",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = DeliveryPage.class)))
	Page<DeliveryView> deliveries(@AuthenticationPrincipal Principal caller, @PathVariable UUID id,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return endpoints.deliveries(caller, id, status, PageRequest.of(limit, cursor));
	}

	@PostMapping("/api/v1/webhook-deliveries/{id}/redeliver")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(summary = "Deliver the event again, as a new delivery with a fresh retry schedule")
	@ApiResponse(responseCode = "202", description = "The new delivery")
	@ApiResponse(responseCode = "409", description = "endpoint_disabled",
			content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
	DeliveryView redeliver(@AuthenticationPrincipal Principal caller, @PathVariable UUID id) {
		return endpoints.redeliver(caller, id);
	}
}
