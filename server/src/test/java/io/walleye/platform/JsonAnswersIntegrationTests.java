package io.walleye.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON answers as they go on the wire: up to the converter's buffer with a {@code Content-Length} (one write, no
 * closing chunk), beyond it streamed chunked; either way the whole document arrives.
 */
@WalleyeIntegrationTest
class JsonAnswersIntegrationTests {

	@Autowired
	TestApi api;

	private Response get(String path) throws IOException {
		return api.raw(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + api.adminToken()
				+ "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
	}

	private static int bytes(Response response) {
		return response.body().getBytes(StandardCharsets.UTF_8).length;
	}

	@Test
	void aModuleAnswerCarriesItsLengthAndIsNotChunked() throws IOException {
		Response response = get("/api/v1/auth/me");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.header("Transfer-Encoding")).isEmpty();
		assertThat(response.header("Content-Length")).hasValue(String.valueOf(bytes(response)));
		assertThat(response.json().isObject()).isTrue();
	}

	/** {@code n} items are {@code 13 n + 1} bytes: 630 are 8,191, the most under the 8 KiB buffer; 631 are 8,204. */
	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 629, 630 })
	void anAnswerUpToTheBufferIsSentWithItsLength(int count) throws IOException {
		Response response = get("/api/v1/test-json/" + count);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.header("Transfer-Encoding")).isEmpty();
		assertThat(response.header("Content-Length")).hasValue(String.valueOf(bytes(response)));
		assertThat(response.json().size()).isEqualTo(count);
	}

	@ParameterizedTest
	@ValueSource(ints = { 631, 50_000 })
	void aLargerAnswerIsStreamedWhole(int count) throws IOException {
		Response response = get("/api/v1/test-json/" + count);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.header("Transfer-Encoding")).hasValue("chunked");
		assertThat(response.header("Content-Length")).isEmpty();
		assertThat(bytes(response)).isGreaterThan(8 * 1024);
		assertThat(response.json().size()).isEqualTo(count);
		assertThat(response.json().get(count - 1).asString()).isEqualTo("0123456789");
	}
}
