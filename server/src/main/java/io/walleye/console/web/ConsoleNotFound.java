package io.walleye.console.web;

import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/**
 * A mistyped console address gets the console's "page not found" page rather than the API's problem+json. Runs
 * before the other exception resolvers and lets everything outside {@code /console/} through to them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.CONSOLE)
class ConsoleNotFound implements WebMvcConfigurer {

	@Override
	public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
		resolvers.addFirst(ConsoleNotFound::resolve);
	}

	private static @Nullable ModelAndView resolve(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception exception) {
		if (!(exception instanceof NoResourceFoundException) || !request.getRequestURI().startsWith("/console/")
				|| request.getRequestURI().startsWith("/console/api/")) {
			return null;
		}
		response.setStatus(HttpServletResponse.SC_NOT_FOUND);
		return new ModelAndView("console/error",
				Map.of("errorTitle", "This page does not exist",
						"errorDetail", "Check the address, or pick a page from the menu above.", "navigation",
						ConsolePageModel.NAVIGATION));
	}
}
