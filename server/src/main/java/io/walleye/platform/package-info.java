/**
 * Shared ground of every module: process roles, the embedded PostgreSQL, clock and ids, problem+json errors,
 * request ids and cursor pagination.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN, displayName = "Platform")
@NullMarked
package io.walleye.platform;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
