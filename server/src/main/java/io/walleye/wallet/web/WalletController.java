package io.walleye.wallet.web;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.identity.Principal;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Cursor;
import io.walleye.platform.FieldError;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.Role;
import io.walleye.wallet.Amount;
import io.walleye.wallet.BalanceAt;
import io.walleye.wallet.HistoryFilter;
import io.walleye.wallet.OperationCsv;
import io.walleye.wallet.OperationView;
import io.walleye.wallet.Statement;
import io.walleye.wallet.Movements;
import io.walleye.wallet.Registrations;
import io.walleye.wallet.WalletQueries;
import io.walleye.wallet.WalletView;

/** A customer's or business's wallets: open, read, deposit, withdraw, history, balance at an instant, statement. */
@RestController
@RequestMapping("/api/v1/wallets")
@ConditionalOnRole(Role.API)
@PreAuthorize("hasAnyRole('CUSTOMER', 'BUSINESS')")
@Tag(name = "Wallets", description = "Wallets, deposits, withdrawals, history and statements")
class WalletController {

	private final Registrations registrations;

	private final Movements movements;

	private final WalletQueries wallets;

	private final IdempotentExecution idempotent;

	WalletController(Registrations registrations, Movements movements, WalletQueries wallets,
			IdempotentExecution idempotent) {
		this.registrations = registrations;
		this.movements = movements;
		this.wallets = wallets;
		this.idempotent = idempotent;
	}

	record OpenWalletRequest(@Nullable String currency) {
	}

	record AmountRequest(@Nullable Amount amount, @Nullable String description) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Open a wallet (currency ISO 4217, default EUR); a business may own only one (409)")
	@ApiResponse(responseCode = "201", description = "Opened")
	@ApiResponse(responseCode = "409", description = "wallet_exists: the business has its wallet already")
	WalletView open(@AuthenticationPrincipal Principal caller,
			@RequestBody(required = false) @Nullable OpenWalletRequest request) {
		return registrations.openWallet(caller, request == null ? null : request.currency());
	}

	@GetMapping
	@Operation(summary = "The caller's wallets, oldest first, keyset-paginated like every list")
	@ApiResponses({ @ApiResponse(responseCode = "200", description = "A page of wallets"),
			@ApiResponse(responseCode = "400", description = "validation_failed (limit), invalid_cursor", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	Page<WalletView> list(@AuthenticationPrincipal Principal caller,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return wallets.wallets(caller, PageRequest.of(limit, cursor));
	}

	@GetMapping("/{token}")
	@Operation(summary = "One of the caller's wallets; anyone else's is 404")
	WalletView one(@AuthenticationPrincipal Principal caller, @PathVariable String token) {
		return wallets.wallet(caller, token);
	}

	@ApiResponses({
			@ApiResponse(responseCode = "201", description = "Accepted: the operation", content = @Content(mediaType = "application/json", schema = @Schema(implementation = OperationView.class))),
			@ApiResponse(responseCode = "409", description = "idempotency_in_flight", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "422", description = "balance_overflow, idempotency_key_reused", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@PostMapping("/{token}/deposits")
	@Operation(summary = "Top up the wallet (201); accepts Idempotency-Key")
	ResponseEntity<String> deposit(@AuthenticationPrincipal Principal caller, @PathVariable String token,
			@RequestBody AmountRequest request,
			@RequestHeader(name = IdempotentExecution.KEY_HEADER, required = false) @Nullable String key) {
		return idempotent.run(caller, key, "POST", "/api/v1/wallets/" + token + "/deposits", request,
				() -> movements.deposit(caller, token, Amount.decimalOf(request.amount()), request.description()));
	}

	@ApiResponses({
			@ApiResponse(responseCode = "201", description = "Accepted: the operation", content = @Content(mediaType = "application/json", schema = @Schema(implementation = OperationView.class))),
			@ApiResponse(responseCode = "402", description = "Insufficient funds: the attempt is stored as rejected", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "409", description = "idempotency_in_flight", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "422", description = "idempotency_key_reused", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	@PostMapping("/{token}/withdrawals")
	@Operation(summary = "Take money out (201), or 402 when funds are short (the attempt is recorded)")
	ResponseEntity<String> withdraw(@AuthenticationPrincipal Principal caller, @PathVariable String token,
			@RequestBody AmountRequest request,
			@RequestHeader(name = IdempotentExecution.KEY_HEADER, required = false) @Nullable String key) {
		return idempotent.run(caller, key, "POST", "/api/v1/wallets/" + token + "/withdrawals", request,
				() -> movements.withdraw(caller, token, Amount.decimalOf(request.amount()), request.description()));
	}

	@GetMapping("/{token}/operations")
	@Operation(summary = "History newest first, failed attempts included; type/status take comma lists; "
			+ "format=csv (or Accept: text/csv) answers CSV")
	@ApiResponses({
			@ApiResponse(responseCode = "200", description = "A page of operations, or CSV", content = {
					@Content(mediaType = "application/json", schema = @Schema(implementation = OperationPage.class)),
					@Content(mediaType = "text/csv", schema = @Schema(type = "string")) }),
			@ApiResponse(responseCode = "400", description = "validation_failed (type, status, from, limit, format), invalid_cursor", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "404", description = "wallet_not_found", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	Page<OperationView> operations(@AuthenticationPrincipal Principal caller, @PathVariable String token,
			@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable Instant from, @RequestParam(required = false) @Nullable Instant to,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor,
			@Parameter(description = "json (default) or csv", schema = @Schema(allowableValues = { "json", "csv" }))
			@RequestParam(required = false) @Nullable String format) {
		checkFormat(format, "json");
		return wallets.history(caller, token, filter(type, status, from, to), PageRequest.of(limit, cursor));
	}

	/** {@code format=csv} has its own mapping; what reaches a handler must be its own format or none. */
	private static void checkFormat(@Nullable String format, String expected) {
		if (format != null && !format.equals(expected)) {
			String message = format.equals("json") || format.equals("csv")
					? "must be " + expected + " when the Accept header asks for " + expected : "must be json or csv";
			throw ApiException.badRequest("validation_failed", "format " + message)
				.with("errors", List.of(FieldError.of("format", message)));
		}
	}

	/** What the JSON history answers, for the API document. */
	record OperationPage(List<OperationView> items, @Nullable String nextCursor) {
	}

	@GetMapping(path = "/{token}/operations", produces = "text/csv")
	@Operation(hidden = true)
	void operationsCsv(@AuthenticationPrincipal Principal caller, @PathVariable String token,
			@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable Instant from, @RequestParam(required = false) @Nullable Instant to,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable String format, HttpServletResponse response)
			throws IOException {
		checkFormat(format, "csv");
		HistoryFilter filter = filter(type, status, from, to);
		// The same limit and cursor rules as the JSON pages, checked before the first byte is sent; without a limit
		// the CSV is the whole selection.
		PageRequest page = PageRequest.of(limit, cursor);
		wallets.wallet(caller, token);
		Cursor after = page.decodeCursor(2);
		Csv.start(response, token);
		Writer writer = response.getWriter();
		OperationCsv.header(writer);
		wallets.eachOperation(caller, token, filter, after, limit, operation -> OperationCsv.row(writer, operation));
		writer.flush();
	}

	@GetMapping(path = "/{token}/operations", params = "format=csv")
	@Operation(hidden = true)
	void operationsCsvByParameter(@AuthenticationPrincipal Principal caller, @PathVariable String token,
			@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable Instant from, @RequestParam(required = false) @Nullable Instant to,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor, HttpServletResponse response)
			throws IOException {
		operationsCsv(caller, token, type, status, from, to, limit, cursor, "csv", response);
	}

	@GetMapping("/{token}/balance")
	@Operation(summary = "The balance as it was at an instant (default now)")
	BalanceAt balance(@AuthenticationPrincipal Principal caller, @PathVariable String token,
			@RequestParam(required = false) @Nullable Instant at) {
		return wallets.balanceAt(caller, token, at);
	}

	@GetMapping("/{token}/statement")
	@Operation(summary = "Opening and closing balance, totals by type and status, and the operations of [from, to)")
	Statement statement(@AuthenticationPrincipal Principal caller, @PathVariable String token,
			@RequestParam(required = false) @Nullable Instant from,
			@RequestParam(required = false) @Nullable Instant to) {
		return wallets.statement(caller, token, from, to);
	}

	static HistoryFilter filter(@Nullable String type, @Nullable String status, @Nullable Instant from,
			@Nullable Instant to) {
		return new HistoryFilter(list(type), list(status), from, to);
	}

	private static Set<String> list(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return Set.of();
		}
		return Arrays.stream(value.split(","))
			.map(part -> part.strip().toLowerCase(Locale.ROOT))
			.filter(part -> !part.isEmpty())
			.collect(Collectors.toUnmodifiableSet());
	}

	static final class Csv {

		private Csv() {
		}

		static void start(HttpServletResponse response, String token) {
			response.setStatus(200);
			response.setContentType("text/csv");
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			response.setHeader("Content-Disposition", "attachment; filename=\"" + token + "-operations.csv\"");
		}
	}
}
