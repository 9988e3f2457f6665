package io.walleye.platform;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Says in one line what this process runs, so a log shows which node it came from. */
@Component
class RolesReport implements ApplicationListener<ApplicationStartedEvent> {

	private static final Logger log = LoggerFactory.getLogger(RolesReport.class);

	private final Environment environment;

	RolesReport(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		var command = CommandLineMode.requested(environment);
		if (command.isPresent()) {
			log.info("Command-line mode ({}): no web server, no workers", command.get());
			return;
		}
		Set<Role> roles = Role.configured(environment);
		log.info("Roles of this process: {} ({}={})",
				roles.stream().map(role -> role.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")),
				Role.PROPERTY, environment.getProperty(Role.PROPERTY, "all"));
	}
}
