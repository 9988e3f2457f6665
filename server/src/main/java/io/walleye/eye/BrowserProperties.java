package io.walleye.eye;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the browser intake ({@code walleye.eye.browser.*}): how many requests per second one publishable key,
 * and one client address, may send to {@code POST /api/v1/browser/events}; 0 means unlimited. Each is a token bucket
 * that holds one second's worth, so a burst may use it at once.
 *
 * @param perKey requests per second for one publishable key (all visitors of a site together)
 * @param perAddress requests per second from one client address (one visitor, or one office behind a NAT)
 */
@ConfigurationProperties("walleye.eye.browser")
public record BrowserProperties(@DefaultValue("1000") int perKey, @DefaultValue("20") int perAddress) {
}
