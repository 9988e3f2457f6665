package io.walleye.platform;

import java.util.UUID;

/** Source of new identifiers; time-ordered (UUIDv7) in production so that primary-key indexes stay compact. */
@FunctionalInterface
public interface Ids {

	UUID next();
}
