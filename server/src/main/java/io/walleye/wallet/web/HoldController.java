package io.walleye.wallet.web;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.identity.Principal;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.Role;
import io.walleye.wallet.Amount;
import io.walleye.wallet.Charges;
import io.walleye.wallet.HoldQueries;
import io.walleye.wallet.HoldView;
import io.walleye.wallet.Holds;
import io.walleye.wallet.OperationView;

/** Businesses reserve money on customers' wallets, capture it later (in parts), or void it. */
@RestController
@RequestMapping("/api/v1/holds")
@ConditionalOnRole(Role.API)
@PreAuthorize("hasRole('BUSINESS')")
@Tag(name = "Holds", description = "Authorise now, capture later (full, partial or several times), void; expiry")
class HoldController {

	private final Holds holds;

	private final HoldQueries queries;

	private final IdempotentExecution idempotent;

	private final Charges charges;

	HoldController(Holds holds, HoldQueries queries, IdempotentExecution idempotent, Charges charges) {
		this.charges = charges;
		this.holds = holds;
		this.queries = queries;
		this.idempotent = idempotent;
	}

	record HoldRequest(@Nullable String walletToken, @Nullable Amount amount, @Nullable String invoice,
			@Nullable String description,
			@Schema(description = "ISO-8601 duration, default P7D, at most walleye.wallet.holds.max-expiry (P30D)", example = "P7D") @Nullable String expiresIn) {
	}

	record CaptureRequest(@Nullable Amount amount, @JsonProperty("final") @Nullable Boolean last) {
	}

	/** What the holds list answers, for the API document. */
	record HoldPage(List<HoldView> items, @Nullable String nextCursor) {
	}

	@ApiResponses({
			@ApiResponse(responseCode = "201", description = "The hold, pending", content = @Content(mediaType = "application/json", schema = @Schema(implementation = HoldView.class))),
			@ApiResponse(responseCode = "402", description = "Insufficient available funds: the attempt is stored as rejected in both histories; operation_id and operation in the body", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "404", description = "wallet_not_found", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "409", description = "duplicate_invoice (an accepted charge or hold has it; operation_id), idempotency_in_flight", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "422", description = "currency_mismatch, business_has_no_wallet, not_a_customer_wallet, idempotency_key_reused", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@PostMapping
	@Operation(summary = "Reserve money on a customer's wallet: 201 hold, 402 (recorded as rejected), 409 duplicate_invoice")
	ResponseEntity<String> authorise(@AuthenticationPrincipal Principal caller, @RequestBody HoldRequest request,
			@RequestHeader(name = IdempotentExecution.KEY_HEADER, required = false) @Nullable String key) {
		return idempotent.run(caller, key, "POST", "/api/v1/holds", request,
				() -> charges.submit(holds.authorisation(caller, request.walletToken(), Amount.decimalOf(request.amount()),
						request.invoice(), request.description(), request.expiresIn())));
	}

	@ApiResponses({
			@ApiResponse(responseCode = "201", description = "The capture operation (hold_id set), refundable like a charge", content = @Content(mediaType = "application/json", schema = @Schema(implementation = OperationView.class))),
			@ApiResponse(responseCode = "404", description = "hold_not_found", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "409", description = "hold_captured, hold_voided, hold_expired, idempotency_in_flight", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "422", description = "capture_exceeds_hold (with remaining), idempotency_key_reused", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@PostMapping("/{id}/captures")
	@Operation(summary = "Capture (part of) a pending hold; default all that remains; final releases the rest")
	ResponseEntity<String> capture(@AuthenticationPrincipal Principal caller, @PathVariable UUID id,
			@RequestBody(required = false) @Nullable CaptureRequest request,
			@RequestHeader(name = IdempotentExecution.KEY_HEADER, required = false) @Nullable String key) {
		CaptureRequest body = request == null ? new CaptureRequest(null, null) : request;
		return idempotent.run(caller, key, "POST", "/api/v1/holds/" + id + "/captures", body,
				() -> charges.submit(holds.capturing(caller, id, Amount.decimalOf(body.amount()),
						Boolean.TRUE.equals(body.last()))));
	}

	@ApiResponses({
			@ApiResponse(responseCode = "200", description = "The hold, voided", content = @Content(mediaType = "application/json", schema = @Schema(implementation = HoldView.class))),
			@ApiResponse(responseCode = "404", description = "hold_not_found", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "409", description = "hold_captured, hold_voided, hold_expired, idempotency_in_flight", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "422", description = "idempotency_key_reused", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@PostMapping("/{id}/void")
	@Operation(summary = "Void a pending hold: what remains goes back to the customer's available funds")
	ResponseEntity<String> voidHold(@AuthenticationPrincipal Principal caller, @PathVariable UUID id,
			@RequestHeader(name = IdempotentExecution.KEY_HEADER, required = false) @Nullable String key) {
		return idempotent.run(caller, key, "POST", "/api/v1/holds/" + id + "/void", "",
				() -> charges.submit(holds.voiding(caller, id)));
	}

	@ApiResponses({
			@ApiResponse(responseCode = "200", description = "The hold", content = @Content(mediaType = "application/json", schema = @Schema(implementation = HoldView.class))),
			@ApiResponse(responseCode = "404", description = "hold_not_found (also another business's hold)", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@GetMapping("/{id}")
	@Operation(summary = "One of the business's holds")
	HoldView hold(@AuthenticationPrincipal Principal caller, @PathVariable UUID id) {
		return queries.hold(caller, id);
	}

	@ApiResponses({
			@ApiResponse(responseCode = "200", description = "A page of holds, newest first", content = @Content(mediaType = "application/json", schema = @Schema(implementation = HoldPage.class))),
			@ApiResponse(responseCode = "400", description = "validation_failed (status, limit), invalid_cursor", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@GetMapping
	@Operation(summary = "The business's holds newest first; status and wallet_token filter; keyset-paginated")
	Page<HoldView> holds(@AuthenticationPrincipal Principal caller,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(name = "wallet_token", required = false) @Nullable String walletToken,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return queries.holds(caller, status, walletToken, PageRequest.of(limit, cursor));
	}
}
