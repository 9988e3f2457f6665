package io.walleye.platform;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;

/**
 * A path a module serves without authentication (e.g. registration). Modules declare these as beans; the security
 * configuration opens exactly them, so no module has to know another's URLs.
 */
public record PublicEndpoint(@Nullable HttpMethod method, String pattern) {
}
