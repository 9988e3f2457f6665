/**
 * The ETL's tables: runs, their frontier, pages and validators, and the loaded repositories.
 */
@NullMarked
package io.walleye.etl.persistence;

import org.jspecify.annotations.NullMarked;
