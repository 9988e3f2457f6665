package io.walleye.platform;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.springframework.core.env.Environment;

/** What a process runs: HTTP APIs, background workers, the operators' console. */
public enum Role {

	API, WORKER, CONSOLE;

	public static final String PROPERTY = "walleye.roles";

	/**
	 * The roles configured for this process; {@code all} (the default) means every role, and a command-line command
	 * runs none.
	 */
	public static Set<Role> configured(Environment environment) {
		if (CommandLineMode.requested(environment).isPresent()) {
			return EnumSet.noneOf(Role.class);
		}
		String value = environment.getProperty(PROPERTY, "all");
		Set<Role> roles = EnumSet.noneOf(Role.class);
		for (String name : value.split(",")) {
			String trimmed = name.trim().toLowerCase(Locale.ROOT);
			if (trimmed.isEmpty()) {
				continue;
			}
			if (trimmed.equals("all")) {
				return EnumSet.allOf(Role.class);
			}
			roles.add(Arrays.stream(values())
				.filter(role -> role.name().equalsIgnoreCase(trimmed))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(
						"Unknown role '" + trimmed + "' in " + PROPERTY + "; use all, api, worker or console")));
		}
		if (roles.isEmpty()) {
			throw new IllegalStateException(PROPERTY + " is empty; use all, api, worker or console");
		}
		return roles;
	}
}
