package io.walleye.console.web;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/**
 * Wallets: find one by token, customer or business. The rows come from the wallet module's facade once this build
 * carries it; until then the list is empty and the page says how wallets come to exist.
 */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class WalletPages {

	@GetMapping("/console/wallets")
	String wallets(@RequestParam(required = false) @Nullable String q, Model model) {
		model.addAttribute("q", q == null ? "" : q.trim());
		model.addAttribute("wallets", List.of());
		return "console/wallets";
	}
}
