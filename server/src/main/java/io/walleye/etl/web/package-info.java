/**
 * The ETL's HTTP API.
 */
@NullMarked
package io.walleye.etl.web;

import org.jspecify.annotations.NullMarked;
