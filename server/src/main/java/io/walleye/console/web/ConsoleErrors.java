package io.walleye.console.web;

import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Problems;
import io.walleye.platform.Role;

/**
 * Failures of console pages become an HTML page that says what to do, instead of the API's problem+json. Ordered
 * before the API's handler, and limited to the console's page controllers.
 */
@ControllerAdvice(basePackageClasses = ConsoleErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnRole(Role.CONSOLE)
class ConsoleErrors {

	private static final Logger log = LoggerFactory.getLogger(ConsoleErrors.class);

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	String badParameter(MethodArgumentTypeMismatchException exception, Model model) {
		return page(model, "That filter value is not valid",
				"'" + exception.getName() + "' has a value this page cannot read. Correct it, or clear the filters and try again.");
	}

	@ExceptionHandler(MissingServletRequestParameterException.class)
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	String missingParameter(MissingServletRequestParameterException exception, Model model) {
		return page(model, "Something is missing", "Fill in '" + exception.getParameterName() + "' and try again.");
	}

	@ExceptionHandler(ApiException.class)
	String refused(ApiException exception, Model model, HttpServletResponse response) {
		response.setStatus(exception.status().value());
		return page(model, exception.title(), exception.getMessage());
	}

	@ExceptionHandler(Exception.class)
	@ResponseStatus(HttpStatus.INTERNAL_SERVER_ERROR)
	String unexpected(Exception exception, Model model) {
		log.error("Console page failed", exception);
		return page(model, "Something went wrong on our side",
				"Try again in a moment. If it keeps happening, give this request id to whoever runs the server: "
						+ MDC.get(Problems.REQUEST_ID_MDC_KEY) + ".");
	}

	private static String page(Model model, String title, String detail) {
		model.addAttribute("errorTitle", title);
		model.addAttribute("errorDetail", detail);
		// Exception handlers get no @ModelAttribute methods, so the layout's navigation is added here.
		model.addAttribute("navigation", ConsolePageModel.NAVIGATION);
		return "console/error";
	}
}
