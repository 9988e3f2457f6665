/**
 * What every endpoint shares: problem+json errors, request ids, size limits, the OpenAPI document.
 */
@NullMarked
package io.walleye.platform.web;

import org.jspecify.annotations.NullMarked;
