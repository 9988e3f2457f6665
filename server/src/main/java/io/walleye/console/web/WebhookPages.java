package io.walleye.console.web;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.Role;
import io.walleye.webhooks.DeliveryView;
import io.walleye.webhooks.EndpointView;
import io.walleye.webhooks.WebhookEndpoints;

/** Webhooks: every endpoint with its state, and deliveries (status, attempts) with redeliver. */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class WebhookPages {

	private final WebhookEndpoints webhooks;

	WebhookPages(WebhookEndpoints webhooks) {
		this.webhooks = webhooks;
	}

	@GetMapping("/console/webhooks")
	String webhooks(@RequestParam(required = false) @Nullable UUID endpoint,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String cursor, Model model) {
		Page<EndpointView> endpoints = webhooks.allEndpoints(PageRequest.of(100, null));
		String filter = status == null || status.isBlank() ? "" : status.strip();
		model.addAttribute("endpoints", endpoints.items());
		model.addAttribute("endpoint", endpoint == null ? null : webhooks.endpoint(endpoint));
		model.addAttribute("status", filter);
		model.addAttribute("counts", webhooks.deliveryCounts());
		try {
			Page<DeliveryView> deliveries = webhooks.allDeliveries(endpoint, filter.isEmpty() ? null : filter,
					PageRequest.of(50, cursor));
			model.addAttribute("deliveries", deliveries.items());
			model.addAttribute("nextCursor", deliveries.nextCursor());
			model.addAttribute("error", null);
		}
		catch (ApiException ex) {
			model.addAttribute("deliveries", java.util.List.of());
			model.addAttribute("nextCursor", null);
			model.addAttribute("error", "Check the filters: " + ex.getMessage());
		}
		return "console/webhooks";
	}

	@PostMapping("/console/webhooks/deliveries/{id}/redeliver")
	String redeliver(@PathVariable UUID id, @RequestParam(required = false) @Nullable UUID endpoint,
			RedirectAttributes redirect) {
		try {
			DeliveryView delivery = webhooks.redeliverAsOperator(id);
			redirect.addFlashAttribute("message", "Queued again as delivery " + delivery.id() + ".");
		}
		catch (ApiException ex) {
			redirect.addFlashAttribute("problem", ex.getMessage());
		}
		return endpoint == null ? "redirect:/console/webhooks" : "redirect:/console/webhooks?endpoint=" + endpoint;
	}
}
