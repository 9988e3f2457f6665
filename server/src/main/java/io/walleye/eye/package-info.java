/**
 * The Eye: trusted applications send events; the API makes them durable in an intake queue and answers at once; a
 * worker validates each against its type's JSON Schema and files it as a stored or a failed event, exactly once.
 * Operators and applications query events by session, category and time through {@link io.walleye.eye.Eye}.
 */
@ApplicationModule(displayName = "The Eye")
@NullMarked
package io.walleye.eye;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
