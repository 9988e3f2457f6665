/**
 * How accepted events reach storage: the intake seam and its PostgreSQL group commit.
 */
@NullMarked
package io.walleye.eye.intake;

import org.jspecify.annotations.NullMarked;
