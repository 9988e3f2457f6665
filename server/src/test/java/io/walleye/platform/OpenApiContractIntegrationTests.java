package io.walleye.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

/**
 * The contract check itself: every other integration test's exchanges go through it (support/OpenApiContract); these
 * show that it refuses what the document does not declare, so a green build means the two agree.
 */
@WalleyeIntegrationTest
class OpenApiContractIntegrationTests {

	@Autowired
	TestApi api;

	@Test
	void documentIsOpenApi30WhichTheValidatorReads() {
		TestApi.Response docs = api.get("/v3/api-docs").send();

		assertThat(docs.status()).isEqualTo(200);
		assertThat(docs.json().get("openapi").asString()).startsWith("3.0.");
	}

	@Test
	void undeclaredStatusIsAMismatch() {
		assertThat(keys(SimpleResponse.Builder.status(418).build())).contains("validation.response.status.unknown");
	}

	@Test
	void undeclaredResponseFieldIsAMismatch() {
		String me = api.get("/api/v1/auth/me").asAdmin().send().body();
		String withExtra = me.replaceFirst("\\{", "{\"surprise\":1,");

		assertThat(keys(SimpleResponse.Builder.ok().withContentType("application/json").withBody(me).build()))
			.isEmpty();
		assertThat(keys(SimpleResponse.Builder.ok().withContentType("application/json").withBody(withExtra).build()))
			.contains("validation.response.body.schema.additionalProperties");
	}

	@Test
	void undeclaredMediaTypeIsAMismatch() {
		assertThat(keys(SimpleResponse.Builder.ok().withContentType("text/plain").withBody("admin").build()))
			.contains("validation.response.contentType.notAllowed");
	}

	@Test
	void undeclaredQueryParameterIsAMismatch() {
		ValidationReport report = api.contract()
			.validator()
			.validateRequest(SimpleRequest.Builder.get("/api/v1/auth/me").withQueryParam("colour", "red").build());

		assertThat(report.getMessages()).extracting(ValidationReport.Message::getKey)
			.contains("validation.request.parameter.query.unexpected");
	}

	private java.util.List<String> keys(SimpleResponse response) {
		return api.contract()
			.validator()
			.validateResponse("/api/v1/auth/me", Request.Method.GET, response)
			.getMessages()
			.stream()
			.map(ValidationReport.Message::getKey)
			.toList();
	}
}
