package io.walleye.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container files cannot be run here (no Docker engine), so they are kept honest by reading them: every variable
 * compose.yaml gives a Walleye container is one Walleye reads, every role exists, and every health check asks an
 * endpoint that answers 200 on a running Walleye.
 */
@WalleyeIntegrationTest
class ContainerFilesTests {

	private static final Path ROOT = Path.of("..");

	@Autowired
	TestApi api;

	@Test
	@SuppressWarnings("unchecked")
	void composeSetsOnlyVariablesWalleyeReadsAndRolesThatExist() throws IOException {
		Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("compose.yaml")));
		Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
		Set<String> read = variablesWalleyeReads();
		Set<String> roles = new HashSet<>();
		int walleyes = 0;
		for (Map<String, Object> service : services.values()) {
			if (!"walleye:local".equals(service.get("image"))) {
				continue;
			}
			walleyes++;
			Map<String, Object> env = (Map<String, Object>) service.get("environment");
			assertThat(read).as("variables Walleye reads").containsAll(env.keySet());
			roles.add(String.valueOf(env.get("WALLEYE_ROLES")));
			Map<String, Object> health = (Map<String, Object>) service.get("healthcheck");
			assertAnswers200(String.join(" ", (List<String>) health.get("test")));
		}
		assertThat(walleyes).isEqualTo(3);
		for (String role : roles) {
			for (String one : role.split(",")) {
				assertThat(Role.valueOf(one.trim().toUpperCase(Locale.ROOT))).isNotNull();
			}
		}
		assertThat(roles).containsExactlyInAnyOrder("api", "worker", "console");
	}

	@Test
	void theImageAndTheLoadBalancerCheckARealEndpoint() throws IOException {
		assertAnswers200(Files.readString(ROOT.resolve("Dockerfile")));
		assertAnswers200(Files.readString(ROOT.resolve("deploy/haproxy-compose.cfg")));
	}

	private void assertAnswers200(String text) {
		Matcher path = Pattern.compile("(/actuator/[a-z/]+)").matcher(text);
		assertThat(path.find()).as("a health check path in " + text).isTrue();
		assertThat(api.get(path.group(1)).send().status()).isEqualTo(200);
	}

	/** Names in application.yml's ${NAME:…} placeholders, and the ones the code reads itself. */
	private static Set<String> variablesWalleyeReads() throws IOException {
		Set<String> names = new HashSet<>();
		Matcher placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)")
			.matcher(Files.readString(Path.of("src/main/resources/application.yml")));
		while (placeholder.find()) {
			names.add(placeholder.group(1));
		}
		Pattern literal = Pattern.compile("getProperty\\(\"([A-Z][A-Z0-9_]*)\"");
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
				Matcher m = literal.matcher(Files.readString(source));
				while (m.find()) {
					names.add(m.group(1));
				}
			}
		}
		return names;
	}
}
