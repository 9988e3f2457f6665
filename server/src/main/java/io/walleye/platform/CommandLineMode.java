package io.walleye.platform;

import java.util.List;
import java.util.Optional;

import org.springframework.core.env.PropertyResolver;
import org.springframework.util.StringUtils;

/**
 * A one-shot command given to the jar (verify the ledger, reset an operator's password): the process does its work
 * and exits, so it starts no web server and no worker. Every command is a property listed here, which is all a new
 * command needs to be run that way.
 */
public final class CommandLineMode {

	/** The properties that ask for a command; a value other than blank or {@code false} asks for it. */
	static final List<String> COMMANDS = List.of("walleye.ledger.verify-and-exit", "walleye.operators.reset-password");

	private CommandLineMode() {
	}

	/** The property of the command this process was asked to run, if any. */
	public static Optional<String> requested(PropertyResolver environment) {
		return COMMANDS.stream().filter(command -> {
			String value = environment.getProperty(command);
			return StringUtils.hasText(value) && !"false".equalsIgnoreCase(value.trim());
		}).findFirst();
	}
}
