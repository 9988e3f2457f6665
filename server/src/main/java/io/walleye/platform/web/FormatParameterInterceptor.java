package io.walleye.platform.web;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import io.walleye.platform.ApiException;
import io.walleye.platform.FieldError;

/**
 * {@code ?format=} asks for a representation. An endpoint that does not take the parameter answers JSON only, so any
 * other value is a 406 rather than a JSON answer the client did not ask for; endpoints that offer formats (CSV)
 * declare the parameter and decide themselves.
 */
final class FormatParameterInterceptor implements HandlerInterceptor {

	static final String PARAMETER = "format";

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		String format = request.getParameter(PARAMETER);
		if (format == null || format.equalsIgnoreCase("json") || !(handler instanceof HandlerMethod method)
				|| takesFormat(method)) {
			return true;
		}
		throw new ApiException(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "Not acceptable",
				"This endpoint answers application/json only")
			.with("errors", List.of(FieldError.of(PARAMETER, "must be json here, or left out")));
	}

	private static boolean takesFormat(HandlerMethod handler) {
		Method method = handler.getMethod();
		RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(method, RequestMapping.class);
		if (mapping != null && Arrays.stream(mapping.params()).anyMatch(param -> param.startsWith(PARAMETER))) {
			return true;
		}
		return Arrays.stream(handler.getMethodParameters()).anyMatch(parameter -> {
			RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
			return param != null && (PARAMETER.equals(param.name()) || PARAMETER.equals(param.value())
					|| param.name().isEmpty() && param.value().isEmpty() && PARAMETER.equals(parameter.getParameterName()));
		});
	}
}
