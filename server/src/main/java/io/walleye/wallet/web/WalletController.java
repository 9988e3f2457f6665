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
import io.swagger.v3.oas.annotations.enums.ParameterIn;
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
import io.walleye.wallet.BalanceAt;
import io.walleye.wallet.HistoryFilter;
import io.walleye.wallet.OperationView;
import io.walleye.wallet.Statement;
import io.walleye.wallet.WalletService;
import io.walleye.wallet.WalletView;

/** A customer's or business's wallets: open, read, deposit, withdraw, history, balance at an instant, statement. */
@RestController
@RequestMapping("/api/v1/wallets")
@ConditionalOnRole(Role.API)
@PreAuthorize("hasAnyRole('CUSTOMER', 'BUSINESS')")
@Tag(name = "Wallets", description = "Wallets, deposits, withdrawals, history and statements")
class WalletController {

	private final WalletService wallets;

	private final IdempotentExecution idempotent;

	WalletController(WalletService wallets, IdempotentExecution idempotent) {
		this.wallets = wallets;
		this.idempotent = idempotent;
	}

	record OpenWalletRequest(@Nullable String currency) {
	}

	record AmountRequest(@Nullable BigDecimal amount, @Nullable String description) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Open a wallet (currency ISO 4217, default EUR); a business may own only one (409)")
	@ApiResponse(responseCode = "201", description = "Opened")
	@ApiResponse(responseCode = "409", description = "wallet_exists: the business has its wallet already")
	WalletView open(@AuthenticationPrincipal Principal caller,
			@RequestBody(required = false) @Nullable OpenWalletRequest request) {
		return wallets.openWallet(caller, request == null ? null : request.currency());
	}

	@GetMapping
	@Operation(summary = "The state of all the caller's wallets")
	Map<String, List<WalletView>> list(@AuthenticationPrincipal Principal caller) {
		return Map.of("items", wallets.wallets(caller));
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
				() -> wallets.deposit(caller, token, request.amount(), request.description()));
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
				() -> wallets.withdraw(caller, token, request.amount(), request.description()));
	}

	@GetMapping("/{token}/operations")
	@Operation(summary = "History newest first, failed attempts included; type/status take comma lists")
	Page<OperationView> operations(@AuthenticationPrincipal Principal caller, @PathVariable String token,
			@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable Instant from, @RequestParam(required = false) @Nullable Instant to,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return wallets.history(caller, token, filter(type, status, from, to), PageRequest.of(limit, cursor));
	}

	@GetMapping(path = "/{token}/operations", produces = "text/csv")
	@Operation(summary = "The same selection as CSV, streamed with no page limit (Accept: text/csv)")
	@ApiResponse(responseCode = "200", description = "The selection as CSV",
			content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
	void operationsCsv(@AuthenticationPrincipal Principal caller, @PathVariable String token,
			@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable Instant from, @RequestParam(required = false) @Nullable Instant to,
			HttpServletResponse response) throws IOException {
		HistoryFilter filter = filter(type, status, from, to);
		wallets.wallet(caller, token);
		Csv.start(response, token);
		Writer writer = response.getWriter();
		Csv.header(writer);
		wallets.eachOperation(caller, token, filter, operation -> Csv.row(writer, operation));
		writer.flush();
	}

	@GetMapping(path = "/{token}/operations", params = "format=csv")
	@Parameter(name = "format", in = ParameterIn.QUERY, description = "csv: the same as Accept: text/csv",
			schema = @Schema(allowableValues = "csv"))
	@ApiResponse(responseCode = "200", description = "The selection as CSV",
			content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
	void operationsCsvByParameter(@AuthenticationPrincipal Principal caller, @PathVariable String token,
			@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable Instant from, @RequestParam(required = false) @Nullable Instant to,
			HttpServletResponse response) throws IOException {
		operationsCsv(caller, token, type, status, from, to, response);
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

		static void header(Writer writer) throws IOException {
			writer.write("id,created_at,type,status,reason,direction,amount,currency,balance_after,"
					+ "counterparty_wallet,counterparty_name,invoice,description,refunded_amount\n");
		}

		static void row(Writer writer, OperationView o) {
			try {
				writer.write(String.join(",", cell(o.id()), cell(o.createdAt()), cell(o.type()), cell(o.status()),
						cell(o.reason()), cell(o.direction()), cell(o.amount()), cell(o.currency()),
						cell(o.balanceAfter()), cell(o.counterparty().walletToken()), cell(o.counterparty().name()),
						cell(o.invoice()), cell(o.description()), cell(o.refundedAmount())));
				writer.write('\n');
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}

		private static String cell(@Nullable Object value) {
			if (value == null) {
				return "";
			}
			String text = value.toString();
			// Quote what CSV needs quoted, and defuse spreadsheet formulas in free text.
			if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0 && !text.matches("-?[0-9.]+")) {
				text = "'" + text;
			}
			if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
				return "\"" + text.replace("\"", "\"\"") + "\"";
			}
			return text;
		}
	}
}
