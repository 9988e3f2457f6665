/**
 * The Eye's background work: validation against schemas, partitions and worker health.
 */
@NullMarked
package io.walleye.eye.worker;

import org.jspecify.annotations.NullMarked;
