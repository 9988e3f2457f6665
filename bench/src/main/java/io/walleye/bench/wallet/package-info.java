/**
 * The wallet's benchmarks: charges and history.
 */
@NullMarked
package io.walleye.bench.wallet;

import org.jspecify.annotations.NullMarked;
