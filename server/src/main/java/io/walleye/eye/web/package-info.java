/**
 * The Eye's HTTP API.
 */
@NullMarked
package io.walleye.eye.web;

import org.jspecify.annotations.NullMarked;
