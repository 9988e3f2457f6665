package io.walleye.eye;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.eye.EyeProperties.Transport;
import io.walleye.eye.intake.Transports;

/**
 * A scenario class run once per transport: subclasses are {@code @ParameterizedClass @EnumSource(Transport.class)},
 * and every request they send goes through that transport; the shared context is set back to PostgreSQL after each.
 */
abstract class OnBothTransports {

	@Parameter
	Transport transport;

	@Autowired
	Transports transports;

	@BeforeEach
	void useTransport() {
		transports.use(transport);
	}

	@AfterEach
	void useDefaultTransport() {
		transports.use(Transport.POSTGRES);
	}
}
