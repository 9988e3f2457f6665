package io.walleye.identity;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Makes sure operator {@code admin} exists; a generated password is printed to the log exactly once. */
@Component
class AdminBootstrap implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

	private final Identity identity;

	private final IdentityProperties properties;

	AdminBootstrap(Identity identity, IdentityProperties properties) {
		this.identity = identity;
		this.properties = properties;
	}

	@Override
	public void run(ApplicationArguments args) {
		identity.ensureOperator("admin", Optional.ofNullable(properties.adminPassword()))
			.ifPresent(password -> log.warn(
					"Created operator 'admin' with generated password: {}  (shown only now; set WALLEYE_ADMIN_PASSWORD to choose it)",
					password));
	}
}
