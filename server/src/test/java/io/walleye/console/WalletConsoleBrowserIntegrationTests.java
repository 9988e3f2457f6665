package io.walleye.console;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.microsoft.playwright.APIResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wallet pages of the console in headless Chromium: find a wallet, page through its history, download it as CSV,
 * see the balance chart, and run the ledger verification. Screenshots go to {@code target/screenshots/wallet-*.png}.
 */
class WalletConsoleBrowserIntegrationTests extends ConsoleBrowserTest {

	String customerEmail;

	String wallet;

	@BeforeAll
	void moveMoney() {
		customerEmail = "ada-" + UUID.randomUUID() + "@example.test";
		String customer = api.post("/api/v1/customers", Map.of("name", "Ada Console", "email", customerEmail))
			.send()
			.json()
			.get("api_key")
			.asString();
		wallet = api.post("/api/v1/wallets", Map.of("currency", "EUR")).bearer(customer).send().json().get("token")
			.asString();
		String business = api
			.post("/api/v1/businesses", Map.of("name", "Console Shop", "email", UUID.randomUUID() + "@example.test"))
			.send()
			.json()
			.get("api_key")
			.asString();
		api.post("/api/v1/wallets", Map.of("currency", "EUR")).bearer(business).send();
		for (int i = 1; i <= 42; i++) {
			api.post("/api/v1/wallets/" + wallet + "/deposits", Map.of("amount", i + ".00", "description", "top-up " + i))
				.bearer(customer)
				.send();
		}
		api.post("/api/v1/charges", Map.of("wallet_token", wallet, "amount", "100.00", "invoice", "CON-1"))
			.bearer(business)
			.send();
		api.post("/api/v1/charges", Map.of("wallet_token", wallet, "amount", "99999.00", "invoice", "CON-2"))
			.bearer(business)
			.send();

	}

	@BeforeEach
	void signInAsAdmin() {
		signIn();
	}

	@Test
	void theWalletPageShowsItsHoldsAndTheOverviewCountsThem() {
		String customer = api.post("/api/v1/customers",
				Map.of("name", "Hold Console", "email", "hold-" + UUID.randomUUID() + "@example.test"))
			.send()
			.json()
			.get("api_key")
			.asString();
		String held = api.post("/api/v1/wallets", Map.of("currency", "EUR")).bearer(customer).send().json().get("token")
			.asString();
		api.post("/api/v1/wallets/" + held + "/deposits", Map.of("amount", "50.00")).bearer(customer).send();
		String business = api
			.post("/api/v1/businesses", Map.of("name", "Hold Shop", "email", UUID.randomUUID() + "@example.test"))
			.send()
			.json()
			.get("api_key")
			.asString();
		api.post("/api/v1/wallets", Map.of("currency", "EUR")).bearer(business).send();
		assertThat(api.post("/api/v1/holds", Map.of("wallet_token", held, "amount", "12.50", "invoice", "CON-H"))
			.bearer(business)
			.send()
			.status()).isEqualTo(201);

		page.navigate("/console/wallets/" + held);
		assertThat(page.locator("#wallet-balance")).hasText("50.00 EUR");
		assertThat(page.locator("#wallet-held")).hasText("12.50 EUR");
		assertThat(page.locator("#wallet-available")).hasText("37.50 EUR");
		assertThat(page.locator("#holds tbody tr")).hasCount(1);
		assertThat(page.locator("#holds tbody tr").first()).containsText("CON-H");
		assertThat(page.locator("#holds tbody tr").first()).containsText("pending");
		assertThat(page.locator("#history tbody tr").first()).containsText("hold");
		screenshot("wallet-holds");

		page.navigate("/console");
		assertThat(page.locator("main")).containsText("Pending holds");
		assertThat(page.locator("main")).containsText("Held (EUR)");
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void findAWalletAndPageThroughItsHistory() {
		page.navigate("/console/wallets");
		page.locator("input[name=q]").fill(customerEmail);
		page.locator("form.filters button[type=submit]").click();
		assertThat(page.locator("#wallet-table")).containsText(wallet);
		screenshot("wallet-search");

		page.getByText(wallet).first().click();
		assertThat(page.locator("h1")).containsText(wallet);
		assertThat(page.locator("#wallet-balance")).hasText("803.00 EUR");
		page.waitForCondition(() -> ((Number) page.evaluate(
				"document.getElementById('balance-chart').width")).intValue() > 0);
		assertThat(page.locator("#history tbody tr")).hasCount(20);
		assertThat(page.locator("#history tbody tr").first()).containsText("rejected");
		screenshot("wallet-detail");

		int rows = 20;
		int pages = 1;
		while (page.locator("#next-page").count() > 0) {
			page.locator("#next-page").click();
			page.waitForLoadState();
			rows += page.locator("#history tbody tr").count();
			pages++;
		}
		assertThat(pages).isEqualTo(3);
		assertThat(rows).isEqualTo(44);
		assertThat(page.locator("#history tbody tr").last()).containsText("top-up 1");
		screenshot("wallet-history-last-page");

		page.locator("#first-page").click();
		page.locator("select[name=status]").selectOption("rejected");
		page.locator("form.filters button[type=submit]").click();
		assertThat(page.locator("#history tbody tr")).hasCount(1);
		assertThat(page).hasURL(Pattern.compile(".*status=rejected.*"));

		APIResponse csv = page.request().get(page.locator("#csv-link").getAttribute("href"));
		assertThat(csv.status()).isEqualTo(200);
		assertThat(csv.headers().get("content-type")).startsWith("text/csv");
		assertThat(csv.text().split("\n")).hasSize(2);
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void customersAndBusinessesListTheirWallets() {
		page.navigate("/console/customers?q=" + customerEmail);
		assertThat(page.locator("#results")).containsText(wallet);
		screenshot("wallet-customers");
		page.navigate("/console/businesses");
		assertThat(page.locator("#results")).containsText("Console Shop");
		screenshot("wallet-businesses");
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void ledgerVerificationShowsNoMismatch() {
		page.navigate("/console/ledger");
		page.locator("#run-verify").click();
		assertThat(page.locator("#mismatch-count")).hasText("0");
		assertThat(page.locator("#verify-result")).containsText("The books balance");
		assertThat(page.locator("#postings-sums")).containsText("EUR");
		screenshot("wallet-ledger");
		assertThat(browserErrors).isEmpty();
	}

	@Test
	void anUnknownWalletSaysWhatToDo() {
		page.navigate("/console/wallets/wal_doesnotexist");
		assertThat(page.locator(".alert-error")).containsText("Search for it");
	}

}
