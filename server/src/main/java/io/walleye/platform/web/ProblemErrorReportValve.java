package io.walleye.platform.web;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

import io.walleye.platform.Problems;

/**
 * Tomcat's own error answers (a request line or header too large, an encoded NUL, a path Tomcat refuses before any
 * servlet runs) as problem+json instead of its HTML page. Tomcat creates it by class name, hence public.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Override
	protected void report(Request request, Response response, @Nullable Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(true);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		HttpStatusCode code = HttpStatusCode.valueOf(status);
		String requestId = UUID.randomUUID().toString();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", Problems.type(Problems.defaultCode(code)).toString());
		body.put("title", Problems.defaultTitle(code));
		body.put("status", status);
		body.put("detail", status == 400
				? "The request line, path or headers cannot be read: too large, or carrying characters that are not allowed"
				: "The server could not handle this request");
		body.put("code", Problems.defaultCode(code));
		body.put("request_id", requestId);
		try {
			response.setHeader("X-Request-Id", requestId);
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(JSON.writeValueAsString(body));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone or the response cannot be written any more; nothing left to tell it.
		}
	}
}
