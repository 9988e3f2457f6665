/**
 * Bearer-token authentication of the API and its problem+json refusals.
 */
@NullMarked
package io.walleye.identity.security;

import org.jspecify.annotations.NullMarked;
