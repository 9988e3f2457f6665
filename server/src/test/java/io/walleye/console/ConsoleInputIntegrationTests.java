package io.walleye.console;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Console pages and forms hold to the same input rules as the API: a bad value is a 400, never a 500 page. */
@WalleyeIntegrationTest
class ConsoleInputIntegrationTests {

	@Autowired
	TestApi api;

	private ConsoleClient signedIn() {
		ConsoleClient console = new ConsoleClient(api.baseUrl());
		console.signIn("admin", TestApi.ADMIN_PASSWORD);
		return console;
	}

	@Test
	void anInstantOutsideTheStoredRangeIsA400Page() {
		ConsoleClient console = signedIn();
		assertThat(console.get("/console/events?to=%2B999999999-12-31T23:59:59Z").statusCode()).isEqualTo(400);
		assertThat(console.get("/console/events?from=-999999999-01-01T00:00:00Z").statusCode()).isEqualTo(400);
	}

	@Test
	void nulInAFormFieldIsA400NamingTheField() {
		ConsoleClient console = signedIn();
		String page = console.get("/console/applications").body();
		var csrf = java.util.regex.Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"").matcher(page);
		assertThat(csrf.find()).as("CSRF field on the page").isTrue();
		HttpResponse<String> response = console.postForm("/console/applications",
				Map.of("name", "app\u0000", "_csrf", csrf.group(1)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.body()).contains("\"field\":\"name\"").contains("NUL");
	}
}
