package io.walleye.identity;

import java.util.Locale;

/** The kinds of caller Walleye knows. */
public enum PrincipalType {

	OPERATOR, CUSTOMER, BUSINESS, APPLICATION;

	public String dbValue() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static PrincipalType fromDb(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

	/** The Spring Security authority, so endpoints can say {@code hasRole('OPERATOR')}. */
	public String authority() {
		return "ROLE_" + name();
	}
}
