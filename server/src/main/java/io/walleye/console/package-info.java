/**
 * The operators' console: server-rendered pages under {@code /console} (Thymeleaf, htmx, Chart.js from WebJars) that
 * run Walleye through the same facades as the API. Served by processes with the {@code console} role.
 */
@ApplicationModule(displayName = "Console")
@NullMarked
package io.walleye.console;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
