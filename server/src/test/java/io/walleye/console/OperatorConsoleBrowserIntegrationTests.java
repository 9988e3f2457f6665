package io.walleye.console;

import java.util.Map;
import java.util.UUID;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;

import io.walleye.support.TestApi;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Operators page in headless Chromium: create an operator whose generated password is shown once, sign in as it
 * and change that password, disable it and see its open session end. Screenshots go to
 * {@code server/target/screenshots/operators-*.png}.
 */
class OperatorConsoleBrowserIntegrationTests extends ConsoleBrowserTest {

	private String createOperatorInTheConsole() {
		String username = "console-" + UUID.randomUUID().toString().substring(0, 8);
		page.navigate("/console/operators");
		page.locator("#create-operator input[name=username]").fill(username);
		page.locator("#create-operator-button").click();
		assertThat(page.locator("#new-password")).containsText(username);
		return username;
	}

	@Test
	void anOperatorIsCreatedWithAPasswordShownOnceAndChangesIt() {
		signIn();
		String username = createOperatorInTheConsole();
		String generated = page.locator("#new-password-value").textContent();
		assertThat(generated).hasSizeGreaterThanOrEqualTo(20);
		screenshot("operators-created");
		page.navigate("/console/operators");
		assertThat(page.locator("#new-password")).hasCount(0);
		assertThat(page.content()).doesNotContain(generated);
		assertThat(page.locator(".operator-row", new Page.LocatorOptions().setHasText(username))).hasCount(1);
		page.getByText("Sign out").click();

		signIn(username, generated);
		assertThat(page.locator("h1")).hasText("Overview");
		page.navigate("/console/operators");
		page.locator("#change-password input[name=current_password]").fill(generated);
		page.locator("#change-password input[name=new_password]").fill("changed-in-console-1");
		page.locator("#change-password input[name=new_password_again]").fill("changed-in-console-1");
		page.locator("#change-password-button").click();

		assertThat(page.locator("#flash")).containsText("Your password is changed");
		assertThat(api.post("/api/v1/auth/login", Map.of("username", username, "password", "changed-in-console-1"))
			.send()
			.status()).isEqualTo(200);
		assertThat(api.post("/api/v1/auth/login", Map.of("username", username, "password", generated)).send().status())
			.isEqualTo(401);
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void aWrongCurrentPasswordIsShownAndChangesNothing() {
		signIn();
		page.navigate("/console/operators");
		page.locator("#change-password input[name=current_password]").fill("not-my-password");
		page.locator("#change-password input[name=new_password]").fill("another-password-1");
		page.locator("#change-password input[name=new_password_again]").fill("another-password-1");
		page.locator("#change-password-button").click();

		assertThat(page.locator("#problem")).containsText("current password is not right");
		screenshot("operators-wrong-password");
		assertThat(api.post("/api/v1/auth/login", Map.of("username", "admin", "password", TestApi.ADMIN_PASSWORD))
			.send()
			.status()).isEqualTo(200);
	}

	@Test
	void aDisabledOperatorIsSignedOutOfItsOpenSession() {
		signIn();
		String username = createOperatorInTheConsole();
		String generated = page.locator("#new-password-value").textContent();
		page.getByText("Sign out").click();
		signIn(username, generated);
		assertThat(page.locator("h1")).hasText("Overview");

		String id = api.get("/api/v1/operators?limit=500")
			.asAdmin()
			.send()
			.json()
			.get("items")
			.valueStream()
			.filter(operator -> operator.get("username").asString().equals(username))
			.findFirst()
			.orElseThrow()
			.get("id")
			.asString();
		assertThat(api.post("/api/v1/operators/" + id + "/disable").asAdmin().send().status()).isEqualTo(200);

		page.navigate("/console/wallets");
		assertThat(page).hasURL(api.baseUrl() + "/console/login");
		signIn(username, generated);
		assertThat(page.locator("#signin-error")).isVisible();
	}

	@Test
	void anotherOperatorIsDisabledAndEnabledAgainFromTheList() {
		signIn();
		String username = createOperatorInTheConsole();
		page.navigate("/console/operators");
		var row = page.locator(".operator-row", new Page.LocatorOptions().setHasText(username));

		row.locator(".disable-button").click();

		assertThat(page.locator("#flash")).containsText(username + " is disabled");
		assertThat(page.locator(".operator-row", new Page.LocatorOptions().setHasText(username))
			.locator(".operator-status")).hasText("disabled");
		screenshot("operators");

		page.locator(".operator-row", new Page.LocatorOptions().setHasText(username)).locator(".enable-button").click();

		assertThat(page.locator("#flash")).containsText(username + " is enabled");
		assertThat(page.locator(".operator-row", new Page.LocatorOptions().setHasText(username))
			.locator(".operator-status")).hasText("enabled");
		assertThat(browserErrors).isEmpty();
	}
}
