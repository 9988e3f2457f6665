package io.walleye.platform.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.walleye.platform.StartupRefused;

/**
 * Makes a persistent data directory safe to start PostgreSQL on: one Walleye at a time holds it (a lock file with its
 * pid beside the directory, released by the operating system when the process dies however it dies), and what a crashed Walleye left
 * behind — a PostgreSQL still running without its parent, or a stale {@code postmaster.pid} — is cleared first, so the
 * first start after a crash is as fast as any other.
 */
final class DataDirectoryGuard implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(DataDirectoryGuard.class);

	/** zonky's own lock, held by Walleye versions before this guard existed. */
	private static final String ZONKY_LOCK_FILE = "epg-lock";

	private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(60);

	private final FileChannel channel;

	private final FileLock lock;

	private DataDirectoryGuard(FileChannel channel, FileLock lock) {
		this.channel = channel;
		this.lock = lock;
	}

	/** Takes the data directory for this process, or refuses naming the live process that has it. */
	static DataDirectoryGuard acquire(Path dataDirectory) throws IOException {
		// Beside the data directory, not in it: initdb wants an empty directory.
		Path lockFile = lockFile(dataDirectory);
		FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
				StandardOpenOption.WRITE);
		FileLock lock = channel.tryLock();
		if (lock == null) {
			channel.close();
			throw inUse(dataDirectory, holder(lockFile));
		}
		refuseIfZonkyLocked(dataDirectory);
		channel.truncate(0);
		channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
		channel.force(true);
		return new DataDirectoryGuard(channel, lock);
	}

	/** What PostgreSQL needs to start and take its first writes: initdb writes about 40 MB, a checkpoint more. */
	static final long MIN_FREE_BYTES = 64L * 1024 * 1024;

	/**
	 * Refuses a data directory PostgreSQL could not write, before anything is started on it: one line naming the
	 * directory and the reason instead of initdb's or the postmaster's failure deep in a stack trace.
	 */
	static void requireWritable(Path dataDirectory) {
		try {
			Files.createDirectories(dataDirectory);
			Files.deleteIfExists(Files.createTempFile(dataDirectory, ".walleye-write-check-", ""));
		}
		catch (IOException ex) {
			throw new StartupRefused("The embedded PostgreSQL's data directory " + dataDirectory
					+ " cannot be written: " + reason(ex) + ".",
					"Make it writable (a read-only or full file system, or its owner), or point "
							+ "WALLEYE_EMBEDDED_POSTGRES_DATA_DIR at a directory that is.");
		}
		long free;
		try {
			free = Files.getFileStore(dataDirectory).getUsableSpace();
		}
		catch (IOException ex) {
			return;
		}
		if (free < MIN_FREE_BYTES) {
			throw new StartupRefused("The embedded PostgreSQL's data directory " + dataDirectory + " has "
					+ free / (1024 * 1024) + " MB free; PostgreSQL needs at least " + MIN_FREE_BYTES / (1024 * 1024)
					+ " MB to start.", "Free space on that file system, or point WALLEYE_EMBEDDED_POSTGRES_DATA_DIR "
							+ "at one with room.");
		}
	}

	private static String reason(IOException ex) {
		if (ex instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
			return fs.getReason();
		}
		return ex instanceof java.nio.file.AccessDeniedException ? "permission denied" : ex.getClass().getSimpleName();
	}

	static Path lockFile(Path dataDirectory) {
		return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".lock");
	}

	private static void refuseIfZonkyLocked(Path dataDirectory) throws IOException {
		Path zonkyLock = dataDirectory.resolve(ZONKY_LOCK_FILE);
		if (!Files.exists(zonkyLock)) {
			return;
		}
		try (FileChannel channel = FileChannel.open(zonkyLock, StandardOpenOption.WRITE)) {
			FileLock held = channel.tryLock();
			if (held == null) {
				throw inUse(dataDirectory, "another process");
			}
			held.release();
		}
	}

	private static String holder(Path lockFile) {
		try {
			String pid = Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
			String command = Optional.of(pid)
				.filter(text -> text.matches("\\d+"))
				.flatMap(text -> ProcessHandle.of(Long.parseLong(text)))
				.flatMap(process -> process.info().commandLine())
				.map(line -> ": " + (line.length() > 200 ? line.substring(0, 200) + "…" : line))
				.orElse("");
			return pid.isEmpty() ? "another process" : "the Walleye with pid " + pid + command;
		}
		catch (IOException ex) {
			return "another process";
		}
	}

	private static StartupRefused inUse(Path dataDirectory, String holder) {
		return new StartupRefused("The embedded PostgreSQL's data directory " + dataDirectory + " is in use by "
				+ holder + ".",
				"Stop that process, or give this one a data directory of its own (WALLEYE_EMBEDDED_POSTGRES_DATA_DIR).");
	}

	/**
	 * Stops a PostgreSQL left running on this data directory by a Walleye that died without stopping it, or removes a
	 * {@code postmaster.pid} whose process is gone. Only called while this process holds the directory, so such a
	 * server has no live owner.
	 */
	static void clearLeftovers(Path dataDirectory) throws IOException {
		Path pidFile = dataDirectory.resolve("postmaster.pid");
		List<String> lines;
		try {
			lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
		}
		catch (NoSuchFileException ex) {
			return;
		}
		String pidText = lines.isEmpty() ? "" : lines.get(0).trim();
		Optional<ProcessHandle> server = pidText.matches("\\d+")
				? ProcessHandle.of(Long.parseLong(pidText)).filter(process -> isPostgresOf(process, dataDirectory))
				: Optional.empty();
		if (server.isEmpty()) {
			Files.deleteIfExists(pidFile);
			log.warn("Removed a stale lock file {} (PostgreSQL pid {} is not running): the last stop was a crash; "
					+ "PostgreSQL recovers from its write-ahead log", pidFile, pidText.isEmpty() ? "?" : pidText);
			return;
		}
		String port = lines.size() > 3 ? lines.get(3).trim() : "?";
		log.warn("Found an orphaned PostgreSQL (pid {}, port {}) on {}, left running by a Walleye that died; stopping it",
				pidText, port, dataDirectory);
		stop(server.get());
	}

	private static boolean isPostgresOf(ProcessHandle process, Path dataDirectory) {
		if (!process.info().command().map(command -> command.endsWith("postgres")).orElse(false)) {
			return false;
		}
		// The postmaster's working directory is its data directory; where /proc is missing, trust the command.
		try {
			return Files.isSameFile(Files.readSymbolicLink(Path.of("/proc", String.valueOf(process.pid()), "cwd")),
					dataDirectory);
		}
		catch (IOException | UnsupportedOperationException | SecurityException ex) {
			return true;
		}
	}

	/** SIGINT is PostgreSQL's fast shutdown: it ends the sessions, writes a checkpoint and removes its pid file. */
	private static void stop(ProcessHandle server) throws IOException {
		try {
			int exit = new ProcessBuilder("kill", "-INT", String.valueOf(server.pid())).inheritIO().start().waitFor();
			if (exit != 0) {
				throw new IOException("kill -INT " + server.pid() + " exited with " + exit);
			}
			server.onExit().get(ORPHAN_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while stopping the orphaned PostgreSQL " + server.pid(), ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new StartupRefused("The orphaned PostgreSQL (pid " + server.pid() + ") did not stop within "
					+ ORPHAN_STOP_WAIT.toSeconds() + " s.", "Stop it by hand (kill -INT " + server.pid() + ") and start again.");
		}
	}

	/**
	 * A fixed port another process listens on would hand us that process's database: refuse instead. Probed as
	 * PostgreSQL binds it, with {@code SO_REUSEADDR}: a listener still refuses the bind, but the connections of a
	 * PostgreSQL that just stopped, left in TIME_WAIT for a minute, do not (they refused every restart within that
	 * minute before).
	 */
	static void requireFreePort(int port) {
		if (port == 0) {
			return;
		}
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		}
		catch (IOException ex) {
			throw portTaken(port, null);
		}
	}

	static StartupRefused portTaken(int port, @Nullable String otherDirectory) {
		return new StartupRefused("Port " + port + " (WALLEYE_EMBEDDED_POSTGRES_PORT) is taken by another process"
				+ (otherDirectory == null ? "" : ", a PostgreSQL with its data in " + otherDirectory)
				+ "; this Walleye will not use a database that is not its own.",
				"Choose a free port for WALLEYE_EMBEDDED_POSTGRES_PORT, or 0 for any free one.");
	}

	@Override
	public void close() throws IOException {
		if (channel.isOpen()) {
			lock.release();
			channel.close();
		}
	}
}
