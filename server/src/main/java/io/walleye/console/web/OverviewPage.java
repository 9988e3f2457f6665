package io.walleye.console.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import io.walleye.console.ConsoleProperties;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/** The live dashboard; its script draws the charts from {@code /console/api/overview}. */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class OverviewPage {

	private final ConsoleProperties properties;

	OverviewPage(ConsoleProperties properties) {
		this.properties = properties;
	}

	@GetMapping({ "/console", "/console/" })
	String overview(Model model) {
		model.addAttribute("minutes", properties.overviewMinutes());
		model.addAttribute("refreshSeconds", properties.refreshInterval().toSeconds());
		return "console/overview";
	}
}
