package io.walleye.platform;

/**
 * The process cannot start for a reason the operator can fix; reported as Spring Boot's short failure analysis (what is
 * wrong, what to do) instead of a stack trace.
 */
public class StartupRefused extends RuntimeException {

	private final String action;

	public StartupRefused(String description, String action) {
		super(description);
		this.action = action;
	}

	public String action() {
		return action;
	}
}
