/**
 * Operators, credentials and the login throttle in the database.
 */
@NullMarked
package io.walleye.identity.persistence;

import org.jspecify.annotations.NullMarked;
