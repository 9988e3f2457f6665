/**
 * The Eye's benchmarks: ingestion, queries and the intake backlog.
 */
@NullMarked
package io.walleye.bench.eye;

import org.jspecify.annotations.NullMarked;
