/**
 * The Eye's Java client: batches events and sends them without blocking the caller.
 */
@NullMarked
package io.walleye.eye.client;

import org.jspecify.annotations.NullMarked;
