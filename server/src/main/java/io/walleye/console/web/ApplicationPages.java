package io.walleye.console.web;

import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/** Applications that send events to The Eye, and their API keys. */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class ApplicationPages {

	@GetMapping("/console/applications")
	String applications(Model model) {
		model.addAttribute("applications", List.of());
		return "console/applications";
	}
}
