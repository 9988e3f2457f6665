package io.walleye.console.web;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.walleye.eye.BrowserKeys;
import io.walleye.eye.CreatedApplication;
import io.walleye.eye.Eye;
import io.walleye.eye.PublishableKey;
import io.walleye.identity.IssuedKey;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.Role;

/**
 * Applications that send events to The Eye, and their API keys: create, issue (shown once), revoke; and their website
 * (publishable) keys, which are public and so always shown, with the origins they are locked to.
 */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class ApplicationPages {

	private final Eye eye;

	private final BrowserKeys browserKeys;

	ApplicationPages(Eye eye, BrowserKeys browserKeys) {
		this.eye = eye;
		this.browserKeys = browserKeys;
	}

	/** A secret just issued, shown on this one response and never again. */
	record ShownKey(String applicationName, String key) {
	}

	@GetMapping("/console/applications")
	String applications(@RequestParam(required = false) @Nullable String cursor, Model model) {
		return page(model, cursor, null, null);
	}

	@PostMapping("/console/applications")
	String create(@RequestParam(required = false, defaultValue = "") String name, Model model) {
		String trimmed = name.strip();
		if (trimmed.isEmpty() || trimmed.length() > 255) {
			return page(model, null, null, "Give the application a name of 1 to 255 characters.");
		}
		try {
			CreatedApplication created = eye.createApplication(trimmed);
			return page(model, null, new ShownKey(created.name(), created.key().key()), null);
		}
		catch (ApiException ex) {
			return page(model, null, null, ex.getMessage() + ". Choose another name.");
		}
	}

	@PostMapping("/console/applications/{id}/keys")
	String issue(@PathVariable UUID id, Model model) {
		String name = eye.application(id).map(app -> app.name()).orElse(id.toString());
		IssuedKey key = eye.issueKey(id);
		return page(model, null, new ShownKey(name, key.key()), null);
	}

	@PostMapping("/console/applications/{id}/keys/{keyId}/revoke")
	String revoke(@PathVariable UUID id, @PathVariable UUID keyId, RedirectAttributes redirect) {
		boolean revoked = eye.revokeKey(id, keyId);
		redirect.addFlashAttribute("message", revoked ? "Key revoked; every node refuses it within 5 seconds."
				: "That key was already revoked.");
		return "redirect:/console/applications";
	}

	/** Origins as an operator types them: separated by commas, spaces or new lines. */
	@PostMapping("/console/applications/{id}/publishable-keys")
	String issuePublishable(@PathVariable UUID id, @RequestParam(required = false, defaultValue = "") String origins,
			Model model, RedirectAttributes redirect) {
		List<String> list = Arrays.stream(origins.split("[,\\s]+")).filter(origin -> !origin.isBlank()).toList();
		try {
			PublishableKey key = browserKeys.issue(id, list);
			redirect.addFlashAttribute("message", "Website key " + key.key() + " issued for "
					+ String.join(", ", key.allowedOrigins()) + ".");
			return "redirect:/console/applications";
		}
		catch (ApiException ex) {
			return page(model, null, null, "Give the website's origins, e.g. https://www.example.com (" + ex.getMessage()
					+ ").");
		}
	}

	@PostMapping("/console/applications/{id}/publishable-keys/{keyId}/revoke")
	String revokePublishable(@PathVariable UUID id, @PathVariable UUID keyId, RedirectAttributes redirect) {
		boolean revoked = browserKeys.revoke(id, keyId);
		redirect.addFlashAttribute("message", revoked ? "Website key revoked; every node refuses it within 5 seconds."
				: "That website key was already revoked.");
		return "redirect:/console/applications";
	}

	private String page(Model model, @Nullable String cursor, @Nullable ShownKey shown, @Nullable String problem) {
		Page<io.walleye.eye.Application> page = eye.applications(PageRequest.of(50, cursor));
		model.addAttribute("applications", page.items());
		Map<UUID, List<PublishableKey>> websiteKeys = new HashMap<>();
		page.items().forEach(app -> websiteKeys.put(app.id(), browserKeys.ofApplication(app.id())));
		model.addAttribute("websiteKeys", websiteKeys);
		model.addAttribute("nextCursor", page.nextCursor());
		model.addAttribute("shownKey", shown);
		model.addAttribute("problem", problem);
		return "console/applications";
	}
}
