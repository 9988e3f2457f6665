/**
 * Who is calling: operators (people who run Walleye) with passwords and short-lived access tokens, and API keys for
 * customers, businesses and applications. Other modules issue and revoke keys through {@link io.walleye.identity.Identity}
 * and receive the caller as a {@link io.walleye.identity.Principal}.
 */
@ApplicationModule(displayName = "Identity")
@NullMarked
package io.walleye.identity;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
