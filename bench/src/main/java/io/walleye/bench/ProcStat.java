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

	/** Another process on this machine, e.g. the server's JVM ({@code --server-pid}). */
	public static ProcStat of(long pid) throws IOException {
		return parse(Files.readString(Path.of("/proc/" + pid + "/stat")));
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

	/**
	 * Clock ticks the whole machine has spent busy since boot, from the first line of {@code /proc/stat}: user, nice,
	 * system, irq, softirq and steal (idle and iowait left out). Less a generator's own ticks over the same interval,
	 * it is what the server and its database spent, whichever processes they run in.
	 */
	public static long machineBusyTicks() throws IOException {
		return busyTicks(Files.readAllLines(Path.of("/proc/stat")).getFirst());
	}

	/**
	 * The busy ticks of {@code /proc/stat}'s summary line: {@code cpu user nice system idle iowait irq softirq steal …}.
	 */
	static long busyTicks(String cpuLine) {
		String[] fields = cpuLine.trim().split("\\s+");
		long busy = 0;
		for (int field : new int[] { 1, 2, 3, 6, 7, 8 }) {
			busy += Long.parseLong(fields[field]);
		}
		return busy;
	}

	/** Share of one core used between two readings {@code wallNanos} apart (1.0 = one core busy throughout). */
	public static double coreShare(long ticks, long wallNanos) {
		return ticks / TICKS_PER_SECOND / (wallNanos / 1e9);
	}
}
