package io.walleye.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The offline reset for an operator who cannot sign in: {@code --walleye.operators.reset-password=<username>} sets a
 * new generated password, prints it once on standard output, revokes the operator's access tokens, lifts a sign-in
 * lock and exits 0 (1 when there is no such operator). The same command-line mechanism as the ledger verification.
 */
@Component
@ConditionalOnProperty(OperatorPasswordResetCommand.PROPERTY)
@Order(Ordered.LOWEST_PRECEDENCE)
class OperatorPasswordResetCommand implements ApplicationRunner {

	static final String PROPERTY = "walleye.operators.reset-password";

	private static final Logger log = LoggerFactory.getLogger(OperatorPasswordResetCommand.class);

	private final Identity identity;

	private final ConfigurableApplicationContext context;

	OperatorPasswordResetCommand(Identity identity, ConfigurableApplicationContext context) {
		this.identity = identity;
		this.context = context;
	}

	@Override
	public void run(ApplicationArguments args) {
		String username = context.getEnvironment().getProperty(PROPERTY, "").strip();
		int status = identity.resetPassword(username).map(password -> {
			System.out.println("New password of operator '" + username + "': " + password + "  (shown only now)");
			log.info("Reset the password of operator '{}'; its access tokens are revoked", username);
			return 0;
		}).orElseGet(() -> {
			System.err.println("No operator is named '" + username + "'; nothing was changed");
			return 1;
		});
		System.exit(SpringApplication.exit(context, (ExitCodeGenerator) () -> status));
	}
}
