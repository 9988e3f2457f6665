package io.walleye.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Walleye started as its own operating-system process through {@code bin/walleye}, with a {@code PATH} whose
 * {@code java} is 17 (the documented machine), its output in a file: for tests that kill processes for real.
 */
public record WalleyeProcess(Process process, Path output) {

	public static final Path ROOT = Path.of("").toAbsolutePath().getParent();

	public static final Duration START_TIMEOUT = Duration.ofMinutes(4);

	public static final String ADMIN_PASSWORD = "process-test-password";

	private static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

	public static WalleyeProcess start(Path dir, String... settings) throws IOException {
		return start(dir, List.of(), settings);
	}

	/** {@code prefix} runs before the launcher, e.g. {@code unshare} to give the process a file system of its own. */
	public static WalleyeProcess start(Path dir, List<String> prefix, String... settings) throws IOException {
		List<String> command = new ArrayList<>(prefix);
		command.addAll(List.of(ROOT.resolve("bin/walleye").toString(), "java", "-cp",
				System.getProperty("java.class.path"), "io.walleye.WalleyeApplication"));
		command.addAll(List.of(settings));
		Path output = Files.createTempFile(dir, "walleye-", ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
		Map<String, String> environment = builder.environment();
		// The documented machine: the PATH's java and JAVA_HOME are 17; the launcher must find a newer JDK itself.
		environment.put("PATH", JAVA_17.resolve("bin") + ":/usr/bin:/bin");
		environment.put("JAVA_HOME", JAVA_17.toString());
		environment.put("WALLEYE_ADMIN_PASSWORD", ADMIN_PASSWORD);
		return new WalleyeProcess(builder.start(), output);
	}

	public String log() throws IOException {
		return Files.readString(output, StandardCharsets.UTF_8);
	}

	/** Waits for the web server and the roles line logged once it is ready, and answers its port. */
	public int awaitStarted() throws Exception {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		Pattern started = Pattern.compile("Tomcat started on port (\\d+)");
		while (System.nanoTime() < deadline) {
			String log = log();
			Matcher port = started.matcher(log);
			if (log.contains("Started WalleyeApplication") && log.contains("Roles of this process") && port.find()) {
				return Integer.parseInt(port.group(1));
			}
			assertThat(process.isAlive()).as(log).isTrue();
			Thread.sleep(250);
		}
		throw new AssertionError("Not started within " + START_TIMEOUT + ":\n" + log());
	}

	/** Waits for the process to exit on its own and answers its exit status. */
	public int awaitExit() throws Exception {
		assertThat(process.waitFor(START_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).as(log())
			.isTrue();
		return process.exitValue();
	}

	public static HttpResponse<String> send(HttpClient http, String method, String url, @Nullable String key,
			@Nullable String body, String... headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(60))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** A POST that must answer 201 (setting up data), its body. */
	public static String created(HttpClient http, String url, @Nullable String key, String body) throws Exception {
		HttpResponse<String> answer = send(http, "POST", url, key, body);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
		return answer.body();
	}

	public static String field(String json, String name) {
		Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
		assertThat(value.find()).as(json).isTrue();
		return value.group(1);
	}
}
