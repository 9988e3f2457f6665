package io.walleye.identity;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** An operator as other operators see it: never its password. */
public record OperatorView(UUID id, String username, Instant createdAt, @Nullable Instant disabledAt) {

	public boolean enabled() {
		return disabledAt == null;
	}
}
