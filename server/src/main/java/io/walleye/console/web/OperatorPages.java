package io.walleye.console.web;

import java.util.UUID;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.walleye.identity.CreatedOperator;
import io.walleye.identity.Identity;
import io.walleye.identity.OperatorView;
import io.walleye.identity.PasswordPolicy;
import io.walleye.identity.Principal;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.Role;

/** The signed-in operator's password, and the other operators: create (a generated password shown once), disable. */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class OperatorPages {

	private final Identity identity;

	OperatorPages(Identity identity) {
		this.identity = identity;
	}

	/** A password Walleye chose, shown on this one response and never again. */
	record ShownPassword(String username, String password) {
	}

	@GetMapping("/console/operators")
	String operators(@AuthenticationPrincipal Principal operator, @RequestParam(required = false) @Nullable String cursor,
			Model model) {
		return page(model, operator, cursor, null, null);
	}

	@PostMapping("/console/operators/password")
	String changePassword(@AuthenticationPrincipal Principal operator,
			@RequestParam(name = "current_password", defaultValue = "") String currentPassword,
			@RequestParam(name = "new_password", defaultValue = "") String newPassword,
			@RequestParam(name = "new_password_again", defaultValue = "") String newPasswordAgain, Model model,
			RedirectAttributes redirect) {
		if (!newPassword.equals(newPasswordAgain)) {
			return page(model, operator, null, null, "The new password and its repetition differ; type them again.");
		}
		try {
			identity.changePassword(operator.id(), currentPassword, newPassword);
		}
		catch (ApiException refused) {
			return page(model, operator, null, null, "wrong_password".equals(refused.code())
					? "The current password is not right; your password is unchanged." : refused.getMessage() + ".");
		}
		redirect.addFlashAttribute("message", "Your password is changed. Use it the next time you sign in.");
		return "redirect:/console/operators";
	}

	@PostMapping("/console/operators")
	String create(@AuthenticationPrincipal Principal operator,
			@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
			Model model) {
		try {
			CreatedOperator created = identity.createOperator(username.strip(), password.isEmpty() ? null : password);
			String generated = created.generatedPassword();
			ShownPassword shown = generated == null ? null : new ShownPassword(created.operator().username(), generated);
			model.addAttribute("message", "Operator " + created.operator().username() + " is created.");
			return page(model, operator, null, shown, null);
		}
		catch (ApiException refused) {
			return page(model, operator, null, null, refused.getMessage() + ".");
		}
	}

	@PostMapping("/console/operators/{id}/disable")
	String disable(@AuthenticationPrincipal Principal operator, @PathVariable UUID id, Model model,
			RedirectAttributes redirect) {
		return change(operator, model, redirect, () -> identity.disableOperator(operator.id(), id),
				"is disabled: it cannot sign in, and its tokens no longer work.");
	}

	@PostMapping("/console/operators/{id}/enable")
	String enable(@AuthenticationPrincipal Principal operator, @PathVariable UUID id, Model model,
			RedirectAttributes redirect) {
		return change(operator, model, redirect, () -> identity.enableOperator(operator.id(), id),
				"is enabled: it signs in with its password again.");
	}

	/** Applies a change to an operator and says so on the list, or shows why it was refused. */
	private String change(Principal operator, Model model, RedirectAttributes redirect, Supplier<OperatorView> change,
			String outcome) {
		try {
			OperatorView changed = change.get();
			redirect.addFlashAttribute("message", "Operator " + changed.username() + " " + outcome);
			return "redirect:/console/operators";
		}
		catch (ApiException refused) {
			return page(model, operator, null, null, refused.getMessage() + ".");
		}
	}

	private String page(Model model, Principal operator, @Nullable String cursor, @Nullable ShownPassword shown,
			@Nullable String problem) {
		Page<OperatorView> page = identity.operators(PageRequest.of(50, cursor));
		model.addAttribute("operators", page.items());
		model.addAttribute("nextCursor", page.nextCursor());
		model.addAttribute("me", operator.id());
		model.addAttribute("passwordRule", PasswordPolicy.PASSWORD_RULE);
		model.addAttribute("usernameRule", PasswordPolicy.USERNAME_RULE);
		model.addAttribute("shownPassword", shown);
		model.addAttribute("problem", problem);
		return "console/operators";
	}
}
