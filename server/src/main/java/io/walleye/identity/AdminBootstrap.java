package io.walleye.identity;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Makes sure operator {@code admin} exists; a generated password is printed to the log exactly once. Runs before the
 * command-line modes, so that an offline password reset on a fresh database finds {@code admin}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdminBootstrap implements ApplicationRunner {

	static final String ADMIN = "admin";

	private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

	private final Identity identity;

	private final IdentityProperties properties;

	AdminBootstrap(Identity identity, IdentityProperties properties) {
		this.identity = identity;
		this.properties = properties;
	}

	@Override
	public void run(ApplicationArguments args) {
		Optional<String> configured = Optional.ofNullable(properties.adminPassword()).filter(p -> !p.isBlank());
		Optional<String> generated = identity.ensureOperator(ADMIN, configured);
		generated.ifPresent(password -> log.warn(
				"Created operator 'admin' with generated password: {}  (shown only now; set WALLEYE_ADMIN_PASSWORD "
						+ "before the first start to choose it)",
				password));
		if (generated.isEmpty() && configured.isPresent() && !identity.hasPassword(ADMIN, configured.get())) {
			// Applied only when admin is created: a changed variable must not silently undo a password changed since.
			log.info("WALLEYE_ADMIN_PASSWORD is ignored: operator 'admin' exists already with another password. "
					+ "Change it with POST /api/v1/auth/password or the console's Operators page, or reset it offline "
					+ "with --walleye.operators.reset-password=admin");
		}
	}
}
