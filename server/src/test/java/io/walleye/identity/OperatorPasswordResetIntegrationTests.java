package io.walleye.identity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.walleye.WalleyeApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The offline password reset as an operator runs it: a separate JVM started with
 * {@code --walleye.operators.reset-password=<username>} on the same data directory as a server that is stopped.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperatorPasswordResetIntegrationTests {

	private static final Pattern NEW_PASSWORD = Pattern.compile("New password of operator 'admin': (\\S+)");

	private static ConfigurableApplicationContext start(Path dataDir) {
		return new SpringApplicationBuilder(WalleyeApplication.class).run("--server.port=0",
				"--walleye.embedded-postgres.data-dir=" + dataDir, "--walleye.auth.admin-password=first-password-1");
	}

	/** Runs the application's main class in its own JVM, with this test's classpath; its exit code and output. */
	private static Result command(Path dataDir, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
				System.getProperty("java.class.path"), WalleyeApplication.class.getName(), "--server.port=0",
				"--walleye.embedded-postgres.data-dir=" + dataDir));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
			try {
				return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (java.io.IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		if (!process.waitFor(3, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new AssertionError("the command did not exit within 3 minutes");
		}
		return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
	}

	record Result(int exitCode, String output) {
	}

	private static int login(ConfigurableApplicationContext app, String password) throws Exception {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/auth/login"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	@Test
	void resetPrintsANewPasswordOnceAndExitsZero(@TempDir Path dataDir, CapturedOutput captured) throws Exception {
		start(dataDir).close();

		Result reset = command(dataDir, "--walleye.operators.reset-password=admin");

		assertThat(reset.exitCode()).as(reset.output()).isZero();
		Matcher printed = NEW_PASSWORD.matcher(reset.output());
		assertThat(printed.find()).as(reset.output()).isTrue();
		String password = printed.group(1);
		assertThat(reset.output().split(Pattern.quote(password), -1)).hasSize(2);

		try (var app = start(dataDir)) {
			assertThat(login(app, "first-password-1")).isEqualTo(401);
			assertThat(login(app, password)).isEqualTo(200);
			// The configured password no longer applies, and the log says so.
			assertThat(captured.getOut()).contains("WALLEYE_ADMIN_PASSWORD is ignored");
		}
	}

	@Test
	void resetOfAnUnknownOperatorExitsOne(@TempDir Path dataDir) throws Exception {
		Result reset = command(dataDir, "--walleye.operators.reset-password=nobody");

		assertThat(reset.exitCode()).as(reset.output()).isEqualTo(1);
		assertThat(reset.output()).contains("No operator is named 'nobody'");
	}
}
