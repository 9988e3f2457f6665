package io.walleye.wallet.web;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.identity.Principal;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;
import io.walleye.platform.FieldError;
import io.walleye.wallet.Amount;
import io.walleye.wallet.BulkCharges;
import io.walleye.wallet.BulkCharges.Item;
import io.walleye.wallet.Charges;
import io.walleye.wallet.OperationView;
import io.walleye.wallet.Movements;

/** Businesses charge customers' wallets by token, and refund their charges. */
@RestController
@RequestMapping("/api/v1/charges")
@ConditionalOnRole(Role.API)
@PreAuthorize("hasRole('BUSINESS')")
@Tag(name = "Charges", description = "Charge a customer's wallet by its token; refunds")
class ChargeController {

	private final Movements movements;

	private final Charges charges;

	private final IdempotentExecution idempotent;

	private final BulkCharges bulk;

	ChargeController(Movements movements, Charges charges, IdempotentExecution idempotent, BulkCharges bulk) {
		this.movements = movements;
		this.charges = charges;
		this.idempotent = idempotent;
		this.bulk = bulk;
	}

	record ChargeRequest(@Nullable String walletToken, @Nullable Amount amount, @Nullable String invoice,
			@Nullable String description) {
	}

	record RefundRequest(@Nullable Amount amount) {
	}

	record ChargeBatchRequest(
			@Schema(description = "1 to 1000 charges, decided in this order") @Nullable List<@Nullable ChargeRequest> items) {
	}

	/** Documents the batch's answer; it is rendered by {@link IdempotentExecution#runBatch}. */
	record ChargeBatchAnswer(List<ChargeBatchItem> items) {
	}

	/**
	 * One item's outcome: {@code status} 201 with the {@code operation}, or the members of the problem a single charge
	 * would have answered (402 with operation_id and operation, 409 duplicate_invoice with operation_id, 400 with
	 * errors, 404, 422, 503).
	 */
	record ChargeBatchItem(int status, @Nullable OperationView operation, @Nullable String type,
			@Nullable String title, @Nullable String detail, @Nullable String code, @Nullable UUID operationId,
			@Nullable List<FieldError> errors) {
	}

	@ApiResponses({
			@ApiResponse(responseCode = "201", description = "Accepted: the operation", content = @Content(mediaType = "application/json", schema = @Schema(implementation = OperationView.class))),
			@ApiResponse(responseCode = "402", description = "Insufficient funds: the attempt is stored as rejected; operation_id and operation in the body", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "409", description = "duplicate_invoice (with the original operation_id), or idempotency_in_flight", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "422", description = "currency_mismatch, business_has_no_wallet, not_a_customer_wallet, idempotency_key_reused", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@PostMapping
	@Operation(summary = "Charge a customer's wallet: 201, 402 (recorded as rejected), 409 duplicate_invoice")
	ResponseEntity<String> charge(@AuthenticationPrincipal Principal caller, @RequestBody ChargeRequest request,
			@RequestHeader(name = IdempotentExecution.KEY_HEADER, required = false) @Nullable String key) {
		// With an Idempotency-Key the charge runs in the key's own transaction; without one it may be group-committed.
		return idempotent.run(caller, key, "POST", "/api/v1/charges", request,
				() -> charges.charge(caller, request.walletToken(), Amount.decimalOf(request.amount()), request.invoice(),
						request.description()));
	}

	@ApiResponses({
			@ApiResponse(responseCode = "200", description = "One outcome per item, in order (each decided as a single charge)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ChargeBatchAnswer.class))),
			@ApiResponse(responseCode = "400", description = "validation_failed: no items, or a body that is not a list of charges", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "409", description = "idempotency_in_flight", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "413", description = "too_many_items: more than 1000 charges", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "422", description = "idempotency_key_reused", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@PostMapping("/batch")
	@Operation(summary = "Charge up to 1000 customers' wallets at once: 200 with each item's outcome (201, 402, 409, 400, 404, 422)")
	ResponseEntity<String> chargeBatch(@AuthenticationPrincipal Principal caller,
			@RequestBody ChargeBatchRequest request,
			@RequestHeader(name = IdempotentExecution.KEY_HEADER, required = false) @Nullable String key) {
		// A null item is refused alone, like an item without fields.
		List<Item> items = BulkCharges.checkSize(request.items())
			.stream()
			.map(item -> item == null ? new Item(null, null, null, null)
					: new Item(item.walletToken(), item.amount(), item.invoice(), item.description()))
			.toList();
		// As a single charge: with a key the batch commits with the key's record, all of it or none.
		return idempotent.runBatch(caller, key, "POST", "/api/v1/charges/batch", request,
				() -> key != null ? bulk.chargeInTransaction(caller, items) : bulk.charge(caller, items));
	}

	@ApiResponses({
			@ApiResponse(responseCode = "201", description = "Accepted: the operation", content = @Content(mediaType = "application/json", schema = @Schema(implementation = OperationView.class))),
			@ApiResponse(responseCode = "402", description = "The business's funds are short: stored as rejected", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "409", description = "idempotency_in_flight", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "422", description = "refund_exceeds_charge, charge_not_refundable, idempotency_key_reused", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@PostMapping("/{operationId}/refunds")
	@Operation(summary = "Refund (part of) a charge; default all that remains refundable")
	ResponseEntity<String> refund(@AuthenticationPrincipal Principal caller, @PathVariable UUID operationId,
			@RequestBody(required = false) @Nullable RefundRequest request,
			@RequestHeader(name = IdempotentExecution.KEY_HEADER, required = false) @Nullable String key) {
		RefundRequest body = request == null ? new RefundRequest(null) : request;
		return idempotent.run(caller, key, "POST", "/api/v1/charges/" + operationId + "/refunds", body,
				() -> movements.refund(caller, operationId, Amount.decimalOf(body.amount())));
	}
}
