package io.walleye.identity;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An authenticated caller: what it is, its id in the module that owns it (customer, business, application or
 * operator id), and the credential it used.
 */
public record Principal(PrincipalType type, UUID id, UUID credentialId, @Nullable Instant expiresAt) {

	public boolean is(PrincipalType expected) {
		return type == expected;
	}
}
