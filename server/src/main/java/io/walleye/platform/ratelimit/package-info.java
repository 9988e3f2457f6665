/**
 * Token-bucket rate limits for any caller key (an API key, a client address, a publishable key): counted per node in
 * memory, or across nodes in PostgreSQL.
 */
@NullMarked
package io.walleye.platform.ratelimit;

import org.jspecify.annotations.NullMarked;
