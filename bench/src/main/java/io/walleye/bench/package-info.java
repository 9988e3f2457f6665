/**
 * Open-loop load generators against the real HTTP API: the runner, its arguments, set-up and charts.
 */
@NullMarked
package io.walleye.bench;

import org.jspecify.annotations.NullMarked;
