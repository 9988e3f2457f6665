/**
 * The embedded PostgreSQL used when no database URL is configured.
 */
@NullMarked
package io.walleye.platform.db;

import org.jspecify.annotations.NullMarked;
