package io.walleye.platform;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Translates the platform-style environment into Spring properties: {@code DATABASE_URL}
 * ({@code postgres://user:pass@host:port/db}) into {@code spring.datasource.*} unless that is set explicitly, and
 * {@code LOG_FORMAT=json} into Spring Boot's structured (ECS) console logging; a command-line command
 * ({@link CommandLineMode}) into a process without a web server.
 */
public class WalleyeEnvironmentPostProcessor implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> derived = new LinkedHashMap<>();
		String databaseUrl = environment.getProperty("DATABASE_URL");
		if (StringUtils.hasText(databaseUrl) && !StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
			derived.putAll(datasourceProperties(databaseUrl));
		}
		if ("json".equalsIgnoreCase(environment.getProperty("LOG_FORMAT", ""))) {
			derived.put("logging.structured.format.console", "ecs");
		}
		if (CommandLineMode.requested(environment).isPresent()) {
			// Bound to SpringApplication after this runs, so the context is created without a web server.
			derived.put("spring.main.web-application-type", "none");
		}
		if (!derived.isEmpty()) {
			environment.getPropertySources().addFirst(new MapPropertySource("walleye-derived", derived));
		}
	}

	static Map<String, Object> datasourceProperties(String databaseUrl) {
		URI uri = URI.create(databaseUrl.trim());
		if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
			throw new IllegalArgumentException("DATABASE_URL must look like postgres://user:pass@host:port/db");
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		int port = uri.getPort() == -1 ? 5432 : uri.getPort();
		String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
		properties.put("spring.datasource.url",
				"jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query);
		String userInfo = uri.getRawUserInfo();
		if (userInfo != null) {
			int colon = userInfo.indexOf(':');
			String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
			properties.put("spring.datasource.username", URLDecoder.decode(user, StandardCharsets.UTF_8));
			if (colon >= 0) {
				properties.put("spring.datasource.password",
						URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
			}
		}
		return properties;
	}
}
