package io.walleye.etl.pipeline;

/** Lets a stage notice, between two requests or pages, that its run was cancelled or its worker is stopping. */
interface Control {

	/** Throws {@link Stopped} when the stage must stop now. */
	void check() throws InterruptedException;

	/** Why a stage stopped early: not a failure of the run. */
	final class Stopped extends RuntimeException {

		Stopped(String why) {
			super(why, null, false, false);
		}
	}
}
