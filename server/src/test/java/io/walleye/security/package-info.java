/** Cross-module security tests: the authorisation matrix, bad input against every endpoint, secrets kept out of logs. */
@NullMarked
package io.walleye.security;

import org.jspecify.annotations.NullMarked;
