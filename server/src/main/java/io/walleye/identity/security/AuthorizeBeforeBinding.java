package io.walleye.identity.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.method.PreAuthorizeAuthorizationManager;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.util.SimpleMethodInvocation;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Checks an endpoint's {@code @PreAuthorize} before its arguments are read. Method security alone runs after the body
 * is bound and validated, so a caller without the right got {@code 400 validation_failed} (learning the request's
 * shape) where it should get {@code 403}. The method's own check still runs afterwards.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizeBeforeBinding implements WebMvcConfigurer {

	private final PreAuthorizeAuthorizationManager preAuthorize = new PreAuthorizeAuthorizationManager();

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new HandlerInterceptor() {

			@Override
			public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
				if (handler instanceof HandlerMethod method) {
					// the rules here name roles only, never arguments, so none are needed yet
					AuthorizationResult result = preAuthorize.authorize(
							() -> SecurityContextHolder.getContext().getAuthentication(),
							new SimpleMethodInvocation(method.getBean(), method.getMethod()));
					if (result != null && !result.isGranted()) {
						throw new AccessDeniedException("Access denied");
					}
				}
				return true;
			}
		}).addPathPatterns("/api/**");
	}
}
