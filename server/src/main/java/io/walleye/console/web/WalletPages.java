package io.walleye.console.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import io.walleye.platform.ApiException;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;
import io.walleye.wallet.HistoryFilter;
import io.walleye.wallet.HoldQueries;
import io.walleye.wallet.OperationCsv;
import io.walleye.wallet.OperationView;
import io.walleye.wallet.WalletQueries;
import io.walleye.wallet.WalletSummary;
import io.walleye.webhooks.WebhookEndpoints;

/**
 * Wallets: find one by token, customer or business; a wallet's balance, filtered and paged history, CSV download and
 * balance-over-time chart; the customers and businesses lists with their wallets. All through the wallet facade.
 */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class WalletPages {

	static final int HISTORY_PAGE = 20;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final WalletQueries wallets;

	private final HoldQueries holds;

	private final WebhookEndpoints webhooks;

	WalletPages(WalletQueries wallets, HoldQueries holds, WebhookEndpoints webhooks) {
		this.wallets = wallets;
		this.holds = holds;
		this.webhooks = webhooks;
	}

	@GetMapping("/console/wallets")
	String wallets(@RequestParam(required = false) @Nullable String q, Model model) {
		String query = q == null ? "" : q.trim();
		model.addAttribute("q", query);
		model.addAttribute("wallets", wallets.search(query, 100));
		return "console/wallets";
	}

	@GetMapping("/console/wallets/{token}")
	String wallet(@PathVariable String token, @RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable String cursor, Model model) {
		WalletSummary wallet = wallets.walletSummary(token)
			.orElseThrow(() -> ApiException.notFound("wallet_not_found",
					"No wallet has the token " + token + ". Search for it by its owner's name or email instead."));
		Map<String, String> filters = new LinkedHashMap<>();
		filters.put("type", blankToEmpty(type));
		filters.put("status", blankToEmpty(status));
		filters.put("from", blankToEmpty(from));
		filters.put("to", blankToEmpty(to));
		model.addAttribute("wallet", wallet);
		model.addAttribute("holds", holds.walletHolds(token, PageRequest.of(HISTORY_PAGE, null)).items());
		model.addAttribute("filters", filters);
		model.addAttribute("endpoints", webhooks.endpointsOf(wallet.ownerId()));
		try {
			HistoryFilter filter = new HistoryFilter(set(type), set(status), instant(from), instant(to));
			Page<OperationView> page = wallets.operatorHistory(token, filter,
					PageRequest.of(HISTORY_PAGE, cursor));
			model.addAttribute("operations", page.items());
			model.addAttribute("nextLink", page.nextCursor() == null ? null
					: link("/console/wallets/" + token, filters).queryParam("cursor", page.nextCursor())
						.build()
						.toUriString());
			model.addAttribute("error", null);
		}
		catch (ApiException ex) {
			model.addAttribute("operations", List.of());
			model.addAttribute("nextLink", null);
			model.addAttribute("error", "Check the filters: " + ex.getMessage());
		}
		model.addAttribute("firstLink", cursor == null ? null : link("/console/wallets/" + token, filters).toUriString());
		model.addAttribute("csvLink", link("/console/wallets/" + token + "/operations.csv", filters).toUriString());
		model.addAttribute("series", JSON.writeValueAsString(wallets.balanceSeries(token, 500)
			.stream()
			.map(point -> Map.of("at", point.getKey().toString(), "balance", point.getValue().toPlainString()))
			.toList()));
		return "console/wallet-detail";
	}

	@GetMapping("/console/wallets/{token}/operations.csv")
	void csv(@PathVariable String token, @RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			HttpServletResponse response) throws IOException {
		HistoryFilter filter = new HistoryFilter(set(type), set(status), instant(from), instant(to));
		if (wallets.walletSummary(token).isEmpty()) {
			response.sendError(404);
			return;
		}
		response.setContentType("text/csv");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader("Content-Disposition", "attachment; filename=\"" + token + "-operations.csv\"");
		Writer writer = response.getWriter();
		OperationCsv.header(writer);
		wallets.operatorEachOperation(token, filter, operation -> OperationCsv.row(writer, operation));
		writer.flush();
	}

	@GetMapping("/console/customers")
	String customers(@RequestParam(required = false) @Nullable String q, Model model) {
		return owners("customer", "Customers", q, model);
	}

	@GetMapping("/console/businesses")
	String businesses(@RequestParam(required = false) @Nullable String q, Model model) {
		return owners("business", "Businesses", q, model);
	}

	private String owners(String type, String title, @Nullable String q, Model model) {
		String query = q == null ? "" : q.trim();
		model.addAttribute("q", query);
		model.addAttribute("title", title);
		model.addAttribute("path", type.equals("customer") ? "/console/customers" : "/console/businesses");
		model.addAttribute("owners", wallets.owners(type, query, 100));
		return "console/wallet-owners";
	}

	private static UriComponentsBuilder link(String path, Map<String, String> filters) {
		UriComponentsBuilder builder = UriComponentsBuilder.fromPath(path);
		filters.forEach((name, value) -> {
			if (!value.isEmpty()) {
				builder.queryParam(name, value);
			}
		});
		return builder.encode();
	}

	private static String blankToEmpty(@Nullable String value) {
		return value == null ? "" : value.trim();
	}

	private static Set<String> set(@Nullable String value) {
		return value == null || value.isBlank() ? Set.of() : Set.of(value.trim());
	}

	private static @Nullable Instant instant(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(value.trim());
		}
		catch (DateTimeParseException ex) {
			throw ApiException.badRequest("invalid_instant", value + " is not an ISO-8601 instant");
		}
	}
}
