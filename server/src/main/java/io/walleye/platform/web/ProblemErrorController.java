package io.walleye.platform.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.walleye.platform.Problems;

/**
 * The container's error dispatch (a failure outside any controller, e.g. in a filter) answers problem+json like the
 * rest of the API, instead of Spring Boot's default error JSON.
 */
@RestController
@Hidden
class ProblemErrorController implements ErrorController {

	private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

	@RequestMapping("${server.error.path:${error.path:/error}}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		Throwable exception = failure instanceof Throwable throwable ? throwable : null;
		RequestSizeFilter.ContentTooLargeException tooLarge = RequestSizeFilter.ContentTooLargeException.in(exception);
		if (tooLarge != null) {
			return answer(RequestSizeFilter.problem(tooLarge.maxBytes));
		}
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof RequestRejectedException rejected) {
				return answer(HttpEdgeConfiguration.rejected(rejected));
			}
		}
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatusCode status = HttpStatusCode
			.valueOf(code instanceof Integer value && value >= 400 ? value : HttpStatus.INTERNAL_SERVER_ERROR.value());
		if (status.is5xxServerError()) {
			log.error("Request failed outside the controllers", exception);
		}
		return answer(Problems.of(status, Problems.defaultCode(status), Problems.defaultTitle(status),
				status.is5xxServerError() ? "Something went wrong on our side; quote the request_id when reporting it"
						: "The request cannot be served as sent"));
	}

	private static ResponseEntity<ProblemDetail> answer(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}
}
