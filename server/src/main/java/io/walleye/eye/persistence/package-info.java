/**
 * The Eye's tables: applications, events and event types.
 */
@NullMarked
package io.walleye.eye.persistence;

import org.jspecify.annotations.NullMarked;
