package io.walleye.support;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

/**
 * Holds the server to its OpenAPI document: every exchange a test makes through {@link TestApi} is checked against
 * {@code /v3/api-docs} of the same running server, and what does not match is kept until the test ends
 * ({@link OpenApiContractExtension} fails it then).
 * <p>
 * What counts as a mismatch:
 * <ul>
 * <li>every response: a status, media type, header or body the operation does not declare, <b>including a field
 * its schema does not list</b> (additionalProperties are refused unless a schema allows them, e.g. a free-form
 * {@code data} map), so the document cannot fall behind the records it describes;</li>
 * <li>a request the document calls invalid (an undeclared query parameter, a missing bearer token where the
 * operation requires one, a body or media type it does not list) only when the server <i>accepted</i> it (status
 * below 400): tests send invalid requests on purpose to see them refused, and a refusal is the contract
 * working.</li>
 * </ul>
 */
public final class OpenApiContract {

	/** Test-only controllers (under {@code src/test}) are fixtures, not part of the product's contract. */
	private static final String TEST_FIXTURE_PATHS = "/api/v1/test-";

	private final Supplier<String> document;

	private final Queue<String> violations = new ConcurrentLinkedQueue<>();

	private volatile OpenApiInteractionValidator validator;

	OpenApiContract(Supplier<String> document) {
		this.document = document;
	}

	public void check(String method, String pathAndQuery, Map<String, String> requestHeaders, String requestBody,
			TestApi.Response response) {
		URI uri = URI.create(pathAndQuery);
		String path = uri.getRawPath();
		if (!path.startsWith("/api/") || path.startsWith(TEST_FIXTURE_PATHS)) {
			return;
		}
		SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
		requestHeaders.forEach(request::withHeader);
		if (requestBody != null && !requestBody.isEmpty()) {
			request.withBody(requestBody);
		}
		if (uri.getRawQuery() != null) {
			for (String pair : uri.getRawQuery().split("&")) {
				int equals = pair.indexOf('=');
				String name = decode(equals < 0 ? pair : pair.substring(0, equals));
				String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
				request.withQueryParam(name, value);
			}
		}
		SimpleResponse.Builder answer = new SimpleResponse.Builder(response.status());
		response.headers().forEach((name, values) -> {
			if (name != null) {
				answer.withHeader(name, values);
			}
		});
		if (!response.body().isEmpty()) {
			answer.withBody(response.body());
		}
		ValidationReport report = validator().validate(request.build(), answer.build());
		boolean accepted = response.status() < 400;
		for (ValidationReport.Message message : report.getMessages()) {
			if (message.getLevel() != ValidationReport.Level.ERROR) {
				continue;
			}
			if (message.getKey().startsWith("validation.request.") && !accepted) {
				continue;
			}
			violations.add(method + " " + pathAndQuery + " → " + response.status() + ": [" + message.getKey() + "] "
					+ message.getMessage() + (message.getAdditionalInfo().isEmpty() ? ""
							: " " + message.getAdditionalInfo()));
		}
	}

	/** The mismatches found since the last call, which forgets them. */
	public List<String> drain() {
		List<String> found = new ArrayList<>();
		for (String violation; (violation = violations.poll()) != null;) {
			found.add(violation);
		}
		return found;
	}

	/** The validator over this server's document, for tests of the contract check itself. */
	public OpenApiInteractionValidator validator() {
		OpenApiInteractionValidator current = validator;
		if (current == null) {
			synchronized (this) {
				current = validator;
				if (current == null) {
					current = OpenApiInteractionValidator.createForInlineApiSpecification(document.get())
						.withLevelResolver(LevelResolver.create()
							// the library ignores undeclared query parameters by default; a parameter the server
							// honours must be in the document
							.withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
							.build())
						.build();
					validator = current;
				}
			}
		}
		return current;
	}

	private static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}
}
