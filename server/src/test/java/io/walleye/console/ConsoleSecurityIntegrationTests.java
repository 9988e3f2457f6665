package io.walleye.console;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's session sign-in, next to (and apart from) the API's bearer tokens. */
@WalleyeIntegrationTest
class ConsoleSecurityIntegrationTests {

	@Autowired
	TestApi api;

	ConsoleClient console() {
		return new ConsoleClient(api.baseUrl());
	}

	@Test
	void pagesRedirectToSignInWithoutASession() {
		HttpResponse<String> response = console().get("/console/wallets");

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
				location -> assertThat(location).endsWith("/console/login"));
	}

	@Test
	void signingInReturnsToThePageAskedFor() {
		ConsoleClient console = console();
		console.get("/console/events?category=pageview");

		String location = console.signIn("admin", TestApi.ADMIN_PASSWORD);

		assertThat(location).contains("/console/events?category=pageview");
	}

	@Test
	void overviewDataAnswers401WithoutASession() {
		assertThat(console().get("/console/api/overview", "Accept", "application/json").statusCode()).isEqualTo(401);
	}

	@Test
	void htmxRequestsWithoutASessionAreToldWhereToSignIn() {
		HttpResponse<String> response = console().get("/console/events", "HX-Request", "true");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("HX-Redirect")).hasValue("/console/login");
	}

	@Test
	void signInWithoutCsrfTokenIsRefused() {
		ConsoleClient console = console();
		console.csrfFromLoginPage();

		HttpResponse<String> response = console.postForm("/console/login",
				Map.of("username", "admin", "password", TestApi.ADMIN_PASSWORD));

		assertThat(response.statusCode()).isEqualTo(403);
	}

	@Test
	void operatorSignsInAndReadsTheOverview() {
		ConsoleClient console = console();

		assertThat(console.signIn("admin", TestApi.ADMIN_PASSWORD)).endsWith("/console");

		HttpResponse<String> overview = console.get("/console/api/overview", "Accept", "application/json");
		assertThat(overview.statusCode()).isEqualTo(200);
		var json = TestApi.json().readTree(overview.body());
		var platform = json.get("sections").get(0);
		assertThat(platform.get("key").asString()).isEqualTo("platform");
		assertThat(platform.get("charts").get(0).get("key").asString()).isEqualTo("http-requests");
		assertThat(platform.get("charts").get(0).get("series")).hasSize(4);
		assertThat(platform.get("totals").size()).isPositive();
		assertThat(json.get("refresh_millis").asLong()).isPositive();
	}

	@Test
	void wrongPasswordSendsBackToTheFormWithAnError() {
		ConsoleClient console = console();

		String location = console.signIn("admin", "not-the-password");

		assertThat(location).endsWith("/console/login?error=credentials");
		assertThat(console.get("/console/login?error=credentials").body()).contains("Wrong username or password");
		assertThat(console.get("/console/api/overview").statusCode()).isEqualTo(401);
	}

	@Test
	void repeatedFailuresLockTheUsernameAndThePageSaysUntilWhen() {
		ConsoleClient console = console();
		String username = "nobody-" + UUID.randomUUID();
		for (int attempt = 0; attempt < 5; attempt++) {
			console.signIn(username, "guess-" + attempt);
		}

		String location = console.signIn(username, "guess-again");

		assertThat(location).contains("/console/login?error=locked&until=");
		String page = console.get(location.substring(location.indexOf("/console"))).body();
		assertThat(page).contains("locked").contains("<time datetime=");
	}

	@Test
	void theConsoleSessionDoesNotAuthenticateTheApi() {
		ConsoleClient console = console();
		console.signIn("admin", TestApi.ADMIN_PASSWORD);

		assertThat(console.get("/api/v1/auth/me").statusCode()).isEqualTo(401);
	}

	@Test
	void signOutEndsTheSession() {
		ConsoleClient console = console();
		console.signIn("admin", TestApi.ADMIN_PASSWORD);
		String csrf = csrfOf(console.get("/console/wallets").body());

		HttpResponse<String> response = console.postForm("/console/logout", Map.of("_csrf", csrf));

		assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
				location -> assertThat(location).endsWith("/console/login?signed-out"));
		assertThat(console.get("/console/api/overview").statusCode()).isEqualTo(401);
	}

	@Test
	void pagesSendAContentSecurityPolicyThatAllowsOnlyOwnScripts() {
		HttpResponse<String> response = console().get("/console/login");

		assertThat(response.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying(policy -> assertThat(policy).contains("script-src 'self'"));
	}

	@Test
	void signedInOperatorIsSentFromTheSignInPageToTheOverview() {
		ConsoleClient console = console();
		console.signIn("admin", TestApi.ADMIN_PASSWORD);

		HttpResponse<String> response = console.get("/console/login");

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
				location -> assertThat(location).endsWith("/console"));
	}

	@Test
	void unknownConsoleAddressShowsAPageNotFoundPage() {
		ConsoleClient console = console();
		console.signIn("admin", TestApi.ADMIN_PASSWORD);

		HttpResponse<String> response = console.get("/console/no-such-page");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("text/html"));
		assertThat(response.body()).contains("This page does not exist").contains("Sign out");
	}

	@Test
	void unknownApiAddressStillAnswersProblemJson() {
		HttpResponse<String> response = console().get("/api/v1/no-such-endpoint", "Authorization",
				"Bearer " + api.adminToken());

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	private static String csrfOf(String page) {
		var matcher = java.util.regex.Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"").matcher(page);
		assertThat(matcher.find()).as("CSRF field on the page").isTrue();
		return matcher.group(1);
	}
}
