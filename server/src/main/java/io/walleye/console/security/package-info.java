/**
 * Sign-in and sessions of the operators' console.
 */
@NullMarked
package io.walleye.console.security;

import org.jspecify.annotations.NullMarked;
