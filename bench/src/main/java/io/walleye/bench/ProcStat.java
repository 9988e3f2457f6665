package io.walleye.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process from {@code /proc/<pid>/stat}: what a load generator costs is part of every figure it reports
 * on a machine it shares with the server.
 *
 * @param ownTicks utime + stime, in clock ticks
 * @param childTicks cutime + cstime: the children that have ended and been waited for (how wrk's CPU is read: the
 * JDK reaps it, so its whole run is counted, up to its last tick)
 */
public record ProcStat(long ownTicks, long childTicks) {

	/** {@code getconf CLK_TCK}: 100 on Linux for every architecture Walleye runs on. */
	public static final double TICKS_PER_SECOND = 100;

	public static ProcStat self() throws IOException {
		return parse(Files.readString(Path.of("/proc/self/stat")));
	}

	/**
	 * Reads the fields after the command name, which is in parentheses and may hold spaces and parentheses itself, so
	 * the fields are counted from the last {@code ')'}: utime is field 14, stime 15, cutime 16, cstime 17.
	 */
	public static ProcStat parse(String stat) {
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
		// fields[0] is field 3 (state)
		return new ProcStat(Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
				Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
	}

	/** Share of one core used between two readings {@code wallNanos} apart (1.0 = one core busy throughout). */
	public static double coreShare(long ticks, long wallNanos) {
		return ticks / TICKS_PER_SECOND / (wallNanos / 1e9);
	}
}
