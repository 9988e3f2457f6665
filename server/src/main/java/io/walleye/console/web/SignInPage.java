package io.walleye.console.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/** The sign-in form; Spring Security handles its POST and the sign-out. */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class SignInPage {

	@GetMapping("/console/login")
	String signIn(@RequestParam(required = false) @Nullable String error,
			@RequestParam(required = false) @Nullable String until,
			@RequestParam(name = "signed-out", required = false) @Nullable String signedOut,
			@Nullable Authentication authentication, Model model) {
		if (authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken)) {
			return "redirect:/console";
		}
		if ("locked".equals(error)) {
			model.addAttribute("error", "Too many failed sign-ins in a row, so this username is locked for a while.");
			model.addAttribute("lockedUntil", parse(until));
		}
		else if (error != null) {
			model.addAttribute("error", "Wrong username or password. Check both (passwords are case-sensitive) and try again.");
		}
		model.addAttribute("signedOut", signedOut != null);
		return "console/login";
	}

	private static @Nullable Instant parse(@Nullable String instant) {
		try {
			return instant == null ? null : Instant.parse(instant);
		}
		catch (DateTimeParseException malformed) {
			return null;
		}
	}
}
