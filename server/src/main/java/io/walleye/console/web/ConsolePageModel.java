package io.walleye.console.web;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/** What the layout of every console page needs: the navigation, the signed-in operator, the CSRF header for htmx. */
@ControllerAdvice(basePackageClasses = ConsolePageModel.class)
@ConditionalOnRole(Role.CONSOLE)
class ConsolePageModel {

	/** A link of the header's navigation; {@code key} marks the current page. */
	record NavItem(String key, String label, String path) {
	}

	static final List<NavItem> NAVIGATION = List.of(new NavItem("overview", "Overview", "/console"),
			new NavItem("wallets", "Wallets", "/console/wallets"), new NavItem("ledger", "Ledger", "/console/ledger"),
			new NavItem("events", "Events", "/console/events"),
			new NavItem("failed-events", "Failed events", "/console/failed-events"),
			new NavItem("event-types", "Event types", "/console/event-types"),
			new NavItem("applications", "Applications", "/console/applications"),
			new NavItem("etl", "ETL", "/console/etl"), new NavItem("webhooks", "Webhooks", "/console/webhooks"),
			new NavItem("operators", "Operators", "/console/operators"));

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@ModelAttribute("navigation")
	List<NavItem> navigation() {
		return NAVIGATION;
	}

	@ModelAttribute("operatorName")
	String operatorName(Authentication authentication) {
		return authentication == null ? "" : authentication.getName();
	}

	/** The {@code hx-headers} value on {@code <body>}: every htmx request carries the CSRF token. */
	@ModelAttribute("csrfHeaders")
	String csrfHeaders(CsrfToken token) {
		return token == null ? "{}" : JSON.writeValueAsString(Map.of(token.getHeaderName(), token.getToken()));
	}
}
