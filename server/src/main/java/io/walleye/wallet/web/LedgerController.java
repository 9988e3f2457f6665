package io.walleye.wallet.web;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;
import io.walleye.wallet.Ledger;
import io.walleye.wallet.LedgerReport;

/** Operators verify the books. */
@RestController
@ConditionalOnRole(Role.API)
@PreAuthorize("hasRole('OPERATOR')")
@Tag(name = "Ledger", description = "Verification of balances against the operation log")
class LedgerController {

	private final Ledger ledger;

	LedgerController(Ledger ledger) {
		this.ledger = ledger;
	}

	@GetMapping("/api/v1/admin/ledger/verify")
	@Operation(summary = "Recompute every balance from the log; mismatches and postings' sum per currency")
	LedgerReport verify() {
		return ledger.verify();
	}
}
