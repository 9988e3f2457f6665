/**
 * The ETL benchmark: runs against the fake GitHub.
 */
@NullMarked
package io.walleye.bench.etl;

import org.jspecify.annotations.NullMarked;
