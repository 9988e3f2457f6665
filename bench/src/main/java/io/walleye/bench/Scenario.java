package io.walleye.bench;

/** One benchmark: prepares its data through the public API, drives load with {@link OpenLoop}, reports. */
public interface Scenario {

	String name();

	String description();

	void run(BenchArgs args) throws Exception;
}
