package io.walleye.eye.intake;

import java.util.List;
import java.util.function.Consumer;

import io.walleye.eye.Backlog;

/**
 * Where accepted events wait for the worker: a PostgreSQL queue table (the default) or a Kafka topic
 * ({@code walleye.eye.transport}), so the API and the worker only know this interface.
 */
public interface EventIntake {

	/**
	 * Makes the events durable and returns only once they are: a crash after the return loses nothing. Events whose
	 * (application, id) was accepted before are skipped silently, so a client's retry is stored once.
	 */
	void submit(List<QueuedEvent> events);

	/**
	 * Claims up to {@code max} of the oldest waiting events, invisible to other workers, stores them all in the event
	 * store as valid, and hands them to the handler, which withdraws the invalid ones
	 * ({@link io.walleye.eye.persistence.EventStore#withdraw}) and files them as failed. They leave the intake only if
	 * the handler returns normally, atomically with whatever it wrote through the same transaction; if it throws (or
	 * the process dies) nothing is stored and they are claimable again.
	 * @return how many events were handled
	 */
	int drain(int max, Consumer<List<QueuedEvent>> handler);

	/**
	 * Events waiting and how long the oldest has waited. Measured several times a second, so it must cost the same
	 * however large the backlog is: it is most needed, and CPU is scarcest, when the worker is behind.
	 */
	Backlog backlog();

	/**
	 * For a transport that pushes (Kafka): starts handing accepted events to the handler from the transport's own
	 * threads, one batch per call inside a transaction, the batch acknowledged only after that transaction commits;
	 * closing the returned handle stops it. A transport that is drained instead returns a handle that does nothing.
	 */
	default Listening listen(int threads, Consumer<List<QueuedEvent>> handler) {
		return Listening.NONE;
	}

	/** A running listener; {@link #alive()} is false once it has stopped on its own. */
	interface Listening extends AutoCloseable {

		Listening NONE = new Listening() {
			@Override
			public void close() {
			}

			@Override
			public boolean alive() {
				return true;
			}
		};

		@Override
		void close();

		boolean alive();
	}
}
