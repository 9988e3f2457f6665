/**
 * Walleye: one Spring Boot application whose modules are the packages below this one.
 */
@NullMarked
package io.walleye;

import org.jspecify.annotations.NullMarked;
