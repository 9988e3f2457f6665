package io.walleye.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcStatTests {

	@Test
	void countsFieldsFromTheLastParenthesisSoACommandNameWithSpacesDoesNotShiftThem() {
		// pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
		String stat = "4242 (wrk ) x (1)) S 1 4242 4242 0 -1 4194560 900 0 0 0 1250 310 77 23 20 0 3 0 100 0 0";

		ProcStat parsed = ProcStat.parse(stat);

		assertThat(parsed.ownTicks()).isEqualTo(1250 + 310);
		assertThat(parsed.childTicks()).isEqualTo(77 + 23);
	}

	@Test
	void aCoreShareIsCpuSecondsOverWallSeconds() {
		assertThat(ProcStat.coreShare(150, 3_000_000_000L)).isEqualTo(0.5);
	}

	@Test
	void theMachineIsBusyInEveryStateButIdleAndIoWait() {
		// cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
		String line = "cpu  1000 20 300 90000 500 7 40 3 200 0";

		assertThat(ProcStat.busyTicks(line)).isEqualTo(1000 + 20 + 300 + 7 + 40 + 3);
	}

	@Test
	void readsTheMachineAndAnotherProcessByPid() throws Exception {
		long before = ProcStat.machineBusyTicks();
		assertThat(before).isPositive();
		assertThat(ProcStat.of(ProcessHandle.current().pid()).ownTicks()).isPositive();
		assertThat(ProcStat.machineBusyTicks()).isGreaterThanOrEqualTo(before);
	}

	@Test
	void readsThisProcess() throws Exception {
		assertThat(ProcStat.self().ownTicks()).isPositive();
	}
}
