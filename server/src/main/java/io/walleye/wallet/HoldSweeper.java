package io.walleye.wallet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.walleye.platform.Batches;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/**
 * Releases holds past their deadline (worker role): every {@code walleye.wallet.holds.sweep-interval} it expires the
 * due holds, {@code sweep-batch} per transaction, until none is due. Captures never depend on it: they check the
 * deadline themselves, so a late sweep only delays when the money becomes available again.
 */
@Component
@ConditionalOnRole(Role.WORKER)
class HoldSweeper implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(HoldSweeper.class);

	private final Holds holds;

	private final WalletProperties.Holds settings;

	private final Counter expired;

	private volatile boolean running;

	private @Nullable Thread thread;

	HoldSweeper(Holds holds, WalletProperties properties, MeterRegistry meters) {
		this.holds = holds;
		this.settings = properties.holds();
		this.expired = Counter.builder("wallet.holds.expired")
			.description("Holds released by the sweeper after their deadline")
			.register(meters);
	}

	/** Expires every hold due now, a batch per transaction; the number expired. */
	int sweep() {
		return Batches.untilShort(settings.sweepBatch(), () -> holds.expireDue(settings.sweepBatch()), expired);
	}

	private void loop() {
		while (running) {
			try {
				int released = sweep();
				if (released > 0) {
					log.info("Expired {} holds", released);
				}
			}
			catch (RuntimeException ex) {
				log.warn("Could not expire holds: {}", ex.toString());
			}
			try {
				Thread.sleep(settings.sweepInterval());
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	@Override
	public void start() {
		running = true;
		Thread sweeper = Thread.ofPlatform().daemon().name("hold-sweeper").unstarted(this::loop);
		thread = sweeper;
		sweeper.start();
	}

	@Override
	public void stop() {
		running = false;
		Thread sweeper = thread;
		if (sweeper != null) {
			sweeper.interrupt();
			try {
				sweeper.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stops before the database (like the charge writers), after the web server has drained. */
	@Override
	public int getPhase() {
		return 0;
	}
}
