package io.walleye.etl.pipeline;

/** GitHub refused or kept failing beyond the retry budget: the run fails with this message (safe to show). */
class ExtractFailure extends RuntimeException {

	ExtractFailure(String message) {
		super(message, null, false, false);
	}
}
