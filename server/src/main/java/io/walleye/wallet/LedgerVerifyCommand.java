package io.walleye.wallet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * The command-line form of verification: {@code --walleye.ledger.verify-and-exit=true} verifies the ledger, prints the
 * report as JSON and exits with status 0 when the books balance, 1 when they do not.
 */
@Component
@ConditionalOnBooleanProperty("walleye.ledger.verify-and-exit")
class LedgerVerifyCommand implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(LedgerVerifyCommand.class);

	private final Ledger ledger;

	private final ConfigurableApplicationContext context;

	private final JsonMapper json;

	LedgerVerifyCommand(Ledger ledger, ConfigurableApplicationContext context, JsonMapper json) {
		this.ledger = ledger;
		this.context = context;
		this.json = json;
	}

	@Override
	public void run(ApplicationArguments args) {
		LedgerReport report = ledger.verify();
		System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
		log.info("Ledger verification: {} wallets, {} mismatches, postings {}", report.walletsChecked(),
				report.mismatches().size(), report.postingsSumByCurrency());
		int status = report.ok() ? 0 : 1;
		System.exit(SpringApplication.exit(context, (ExitCodeGenerator) () -> status));
	}
}
