package io.walleye.eye.worker;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/**
 * {@code eyeWorker} in {@code /actuator/health}: DOWN when a worker thread has died (an Error it could not recover
 * from), so that the process is restarted instead of accepting events nobody files.
 */
@Component
@ConditionalOnRole(Role.WORKER)
class EyeWorkerHealthIndicator implements HealthIndicator {

	private final EventWorker worker;

	EyeWorkerHealthIndicator(EventWorker worker) {
		this.worker = worker;
	}

	@Override
	public Health health() {
		return of(worker.liveness());
	}

	static Health of(EventWorker.Liveness liveness) {
		Health.Builder health = liveness.running() && liveness.alive() < liveness.expected() ? Health.down()
				: Health.up();
		return health.withDetail("enabled", liveness.enabled())
			.withDetail("running", liveness.running())
			.withDetail("threads", liveness.expected())
			.withDetail("alive", liveness.alive())
			.build();
	}
}
