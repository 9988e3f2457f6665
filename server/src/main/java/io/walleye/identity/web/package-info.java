/**
 * Login, logout and API keys over HTTP.
 */
@NullMarked
package io.walleye.identity.web;

import org.jspecify.annotations.NullMarked;
