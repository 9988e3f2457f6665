/**
 * The platform's benchmarks: authentication.
 */
@NullMarked
package io.walleye.bench.platform;

import org.jspecify.annotations.NullMarked;
