package io.walleye.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WrkTests {

	@Test
	void readsTheScriptsHistogramAndCountsAndIgnoresWrksOwnSummary() {
		List<String> output = List.of("Running 11s test @ http://127.0.0.1:8080", "  128 threads and 128 connections",
				"    Latency     2.31ms    1.02ms  19.87ms   91.23%", "lat 900 98", "lat 12300 1", "lat 1500000 1",
				"status 201 95", "status 409 3", "status 500 2", "count sent 102", "count duration_us 11000000",
				"count errors 2", "Requests/sec:   9.27");

		OpenLoop.Result result = Wrk.parse("uniform @ 10/s [wrk]", 10, Duration.ofSeconds(10), 201, output);

		assertThat(result.latencyMicros().getTotalCount()).isEqualTo(100);
		assertThat(result.percentileMillis(50)).isCloseTo(0.9, org.assertj.core.data.Offset.offset(0.01));
		assertThat(result.latencyMicros().getMaxValue() / 1000.0).isCloseTo(1500,
				org.assertj.core.data.Offset.offset(1.0));
		assertThat(result.statuses()).isEqualTo(Map.of(201, 95L, 409, 3L, 500, 2L));
		assertThat(result.ok()).isEqualTo(95);
		assertThat(result.failed()).as("non-2xx answers and socket errors").isEqualTo(7);
		assertThat(result.completedRate()).isEqualTo(10.0);
	}

	@Test
	void theRateIsTakenOverTheSchedulesWindowWhenTheScriptReportsIt() {
		List<String> output = List.of("lat 900 125", "status 200 125", "count sent 125", "count window_us 12500000");

		OpenLoop.Result result = Wrk.parse("auth [wrk]", 10, Duration.ofSeconds(10), 200, output);

		assertThat(result.completedRate()).isEqualTo(10.0);
		assertThat(result.duration()).isEqualTo(Duration.ofMillis(12_500));
	}

	@Test
	void outputWithoutTheScriptsCountsIsAFailureNotAnEmptyResult() {
		assertThatThrownBy(() -> Wrk.parse("x", 1, Duration.ofSeconds(1), 200,
				List.of("PANIC: unprotected error in call to Lua API (bad argument)")))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("PANIC");
	}

	@Test
	void theDataFileHoldsTheTokensAsLuaStringsAndRefusesAnythingElse() {
		String lua = Wrk.dataFile(new Wrk.Target("hot", List.of("wk_biz1"), List.of("wal_a", "wal_b"), 1, 201), 2500, 64,
				"r1");

		assertThat(lua).contains("mode = \"hot\"", "rate = 2500.0", "threads = 64", "keys = {\"wk_biz1\",}",
				"wallets = {\"wal_a\",\"wal_b\",}");
		assertThatThrownBy(() -> Wrk.dataFile(new Wrk.Target("hot", List.of("a\"..os.exit()"), List.of(), 1, 201), 1,
				1, "r")).isInstanceOf(IllegalArgumentException.class);
	}
}
