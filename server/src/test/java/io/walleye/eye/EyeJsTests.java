package io.walleye.eye;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The browser tracker ({@code eye-js/}): its own unit tests, run by Node's built-in test runner so that
 * {@code ./mvnw verify} runs them, and its size as pages download it. Node is skipped when missing ({@code .ci/run}
 * installs it).
 */
class EyeJsTests {

	static final Path EYE_JS = Path.of("..", "eye-js");

	@Test
	void theTrackersUnitTestsPassUnderNode() throws Exception {
		assumeTrue(onPath("node"), "node is not installed; .ci/run installs it");
		Process node = new ProcessBuilder("node", "--test", "test/").directory(EYE_JS.toFile())
			.redirectErrorStream(true)
			.start();
		String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node --test finished").isTrue();
		assertThat(node.exitValue()).as(output).isZero();
		assertThat(output).contains("# fail 0").doesNotContain("# pass 0");
	}

	@Test
	void theTrackerIsUnder6KbGzipped() throws IOException {
		byte[] script = Files.readAllBytes(EYE_JS.resolve("src/eye.js"));
		ByteArrayOutputStream zipped = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(zipped) {
			{
				def.setLevel(Deflater.BEST_COMPRESSION);
			}
		}) {
			gzip.write(script);
		}
		assertThat(zipped.size()).as("gzipped bytes of %d", script.length).isLessThan(6 * 1024);
	}

	private static boolean onPath(String command) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String dir : path.split(java.io.File.pathSeparator)) {
			if (Files.isExecutable(Path.of(dir, command))) {
				return true;
			}
		}
		return false;
	}
}
