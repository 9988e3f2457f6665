package io.walleye.webhooks;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Component;

/**
 * Wakes long-polling feed readers and the delivery worker of this process when a transaction that wrote events
 * commits here. Other processes' commits are found by polling, so this only shortens the wait.
 */
@Component
public class FeedSignal {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = lock.newCondition();

	private long version;

	void changed() {
		lock.lock();
		try {
			version++;
			changed.signalAll();
		}
		finally {
			lock.unlock();
		}
	}

	/** A number that moves on every change: read it before looking, then wait for it to move. */
	public long version() {
		lock.lock();
		try {
			return version;
		}
		finally {
			lock.unlock();
		}
	}

	/** Waits until the version moves past {@code seen} or {@code max} passes. */
	public void await(long seen, Duration max) throws InterruptedException {
		long nanos = max.toNanos();
		lock.lock();
		try {
			while (version == seen && nanos > 0) {
				nanos = changed.awaitNanos(nanos);
			}
		}
		finally {
			lock.unlock();
		}
	}

}
