package io.walleye.console.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;
import io.walleye.wallet.Ledger;
import io.walleye.wallet.WalletQueries;

/** The ledger check: recomputes every balance from the operation log and shows the mismatches. */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class LedgerPage {

	private final Ledger ledger;

	private final WalletQueries wallets;

	LedgerPage(Ledger ledger, WalletQueries wallets) {
		this.ledger = ledger;
		this.wallets = wallets;
	}

	@GetMapping("/console/ledger")
	String ledger(Model model) {
		model.addAttribute("walletCount", wallets.search("", 1).size());
		model.addAttribute("report", null);
		return "console/ledger";
	}

	@PostMapping("/console/ledger/verify")
	String verify(Model model) {
		model.addAttribute("walletCount", 1);
		model.addAttribute("report", ledger.verify());
		return "console/ledger";
	}
}
