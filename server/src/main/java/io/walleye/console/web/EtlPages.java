package io.walleye.console.web;

import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/** GitHub ETL runs with their progress, and the repositories they loaded. */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class EtlPages {

	@GetMapping("/console/etl")
	String etl(Model model) {
		model.addAttribute("runs", List.of());
		model.addAttribute("repositories", List.of());
		return "console/etl";
	}
}
