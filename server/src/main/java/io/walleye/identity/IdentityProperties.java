package io.walleye.identity;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication settings.
 *
 * @param adminPassword the first operator's password ({@code WALLEYE_ADMIN_PASSWORD}); generated and logged once
 * when unset
 * @param accessTokenTtl how long an operator's access token lives
 * @param cacheTtl how long a verified credential is trusted without asking the database; also the longest time a
 * revocation takes to reach every node
 * @param maxLoginFailures failed sign-ins in a row before the username is locked
 * @param lockDuration how long such a lock lasts
 */
@ConfigurationProperties("walleye.auth")
public record IdentityProperties(@Nullable String adminPassword, @DefaultValue("8h") Duration accessTokenTtl,
		@DefaultValue("5s") Duration cacheTtl, @DefaultValue("5") int maxLoginFailures,
		@DefaultValue("5m") Duration lockDuration) {
}
