package io.walleye.platform.db;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * {@code bin/walleye backup DIR}: a consistent copy of the embedded PostgreSQL's data directory while Walleye serves,
 * with PostgreSQL's low-level base backup API ({@code pg_backup_start} / {@code pg_backup_stop}) and a file copy —
 * what {@code pg_basebackup -X fetch} does, without the client binaries zonky's bundle lacks. The copy is itself a data
 * directory: start Walleye on it (or on a copy of it) and PostgreSQL replays the WAL copied with it to the end of the
 * backup, then serves.
 */
public final class OnlineBackup {

	/** Runtime state PostgreSQL's documentation says to leave out of a base backup, and our own lock leftovers. */
	private static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
			"tablespace_map", "epg-lock");

	private static final Set<String> EMPTIED_DIRECTORIES = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify",
			"pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans");

	private static final Pattern START_WAL_FILE = Pattern.compile("START WAL LOCATION: .* \\(file ([0-9A-F]{24})\\)");

	private OnlineBackup() {
	}

	/** {@code backup TARGET [--walleye.embedded-postgres.data-dir=DIR]}; exits 0 on success, 1 with a reason. */
	public static void main(String[] args) {
		System.exit(run(args, System.out, System.err));
	}

	static int run(String[] args, PrintStream out, PrintStream err) {
		if (args.length < 2) {
			err.println("usage: bin/walleye backup TARGET_DIRECTORY [--walleye.embedded-postgres.data-dir=DIR]");
			return 1;
		}
		Path target = Path.of(args[1]).toAbsolutePath();
		Path data = dataDirectory(args).toAbsolutePath();
		try {
			long bytes = backup(data, target);
			out.printf("Backed up %s into %s (%d MB). Restore: start Walleye with "
					+ "WALLEYE_EMBEDDED_POSTGRES_DATA_DIR=%s (or a copy of it).%n", data, target, bytes >> 20, target);
			return 0;
		}
		catch (IOException | SQLException | IllegalStateException ex) {
			err.println("walleye backup: " + ex.getMessage());
			return 1;
		}
	}

	private static Path dataDirectory(String[] args) {
		for (String arg : args) {
			if (arg.startsWith("--walleye.embedded-postgres.data-dir=")) {
				return Path.of(arg.substring(arg.indexOf('=') + 1));
			}
		}
		String fromEnvironment = System.getenv("WALLEYE_EMBEDDED_POSTGRES_DATA_DIR");
		return Path.of(fromEnvironment == null || fromEnvironment.isBlank() ? "data/postgres" : fromEnvironment);
	}

	static long backup(Path data, Path target) throws IOException, SQLException {
		List<String> pidFile;
		try {
			pidFile = Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
		}
		catch (NoSuchFileException ex) {
			throw new IllegalStateException("no PostgreSQL runs on " + data
					+ " (no postmaster.pid); with Walleye stopped, a plain copy of the directory is a backup");
		}
		if (Files.exists(target) && !isEmptyDirectory(target)) {
			throw new IllegalStateException(target + " exists and is not empty; name a new directory");
		}
		Files.createDirectories(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		String port = pidFile.get(3).trim();
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres",
				"postgres", "")) {
			try (Statement statement = connection.createStatement()) {
				// Fast: an immediate checkpoint instead of waiting for the next one (checkpoint_timeout is 15 min).
				statement.execute("select pg_backup_start('walleye backup', true)");
			}
			long copied = copyTree(data, target);
			String label;
			String tablespaceMap;
			try (Statement statement = connection.createStatement();
					ResultSet stop = statement.executeQuery("select labelfile, spcmapfile from pg_backup_stop(false)")) {
				stop.next();
				label = stop.getString(1);
				tablespaceMap = stop.getString(2);
			}
			// After the stop, so the WAL holds everything up to the end of the backup (and the record that marks it).
			copied += copyWal(data.resolve("pg_wal"), target.resolve("pg_wal"), startWalFile(label));
			Files.writeString(target.resolve("backup_label"), label, StandardCharsets.US_ASCII);
			if (tablespaceMap != null && !tablespaceMap.isEmpty()) {
				Files.writeString(target.resolve("tablespace_map"), tablespaceMap, StandardCharsets.US_ASCII);
			}
			return copied;
		}
	}

	private static boolean isEmptyDirectory(Path path) throws IOException {
		if (!Files.isDirectory(path)) {
			return false;
		}
		try (Stream<Path> entries = Files.list(path)) {
			return entries.findAny().isEmpty();
		}
	}

	private static long copyTree(Path source, Path target) throws IOException {
		long bytes = 0;
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(source)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				Path copy = target.resolve(name);
				if (Files.isDirectory(entry)) {
					Files.createDirectories(copy);
					if (EMPTIED_DIRECTORIES.contains(name)) {
						continue;
					}
					bytes += copyTree(entry, copy);
				}
				else if (!SKIPPED_FILES.contains(name) && !name.startsWith("pgsql_tmp")
						&& !name.startsWith(".walleye-write-check-")) {
					bytes += copyFile(entry, copy);
				}
			}
		}
		return bytes;
	}

	/** A file may be dropped while it is copied (a table dropped, a temporary file); the WAL replay recreates it. */
	private static long copyFile(Path source, Path target) throws IOException {
		try {
			Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
			return Files.size(target);
		}
		catch (NoSuchFileException | FileAlreadyExistsException ex) {
			return 0;
		}
	}

	private static long copyWal(Path source, Path target, @Nullable String firstSegment) throws IOException {
		Files.createDirectories(target.resolve("archive_status"));
		long bytes = 0;
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(source)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				boolean segment = name.matches("[0-9A-F]{24}");
				if (Files.isRegularFile(entry) && (!segment || firstSegment == null || name.compareTo(firstSegment) >= 0)) {
					bytes += copyFile(entry, target.resolve(name));
				}
			}
		}
		return bytes;
	}

	private static @Nullable String startWalFile(String label) {
		Matcher file = START_WAL_FILE.matcher(label);
		return file.find() ? file.group(1) : null;
	}
}
