package io.walleye.eye;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import io.walleye.eye.EyeProperties.Transport;
import io.walleye.eye.intake.Transports;
import io.walleye.support.TestKafka;

/**
 * A scenario class run once per transport: subclasses are {@code @ParameterizedClass @EnumSource(Transport.class)},
 * and every request they send goes through that transport; the shared context is set back to PostgreSQL after each.
 */
abstract class OnBothTransports {

	@Parameter
	Transport transport;

	@Autowired
	Transports transports;

	@Autowired
	Environment environment;

	@BeforeEach
	void useTransport() {
		transports.use(transport);
		if (transport == Transport.KAFKA) {
			// Other classes sharing the context stop and start the worker, or the broker: its group rebalances then,
			// and a scenario waits only as long as an event takes to be filed.
			TestKafka.awaitWorkersHoldEveryPartition(environment);
		}
	}

	@AfterEach
	void useDefaultTransport() {
		transports.use(Transport.POSTGRES);
	}
}
