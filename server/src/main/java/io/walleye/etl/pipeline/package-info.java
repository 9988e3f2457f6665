/**
 * The ETL's stages (extract, transform, load), the worker that drives them and the schedules.
 */
@NullMarked
package io.walleye.etl.pipeline;

import org.jspecify.annotations.NullMarked;
