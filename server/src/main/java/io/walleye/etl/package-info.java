/**
 * GitHub repositories ETL: extract from the GitHub REST API within its rate limits, transform to typed rows, load into
 * {@code github_repositories} idempotently; resumable runs claimed by workers. {@link io.walleye.etl.Etl} is the
 * facade the API and the console use.
 */
@ApplicationModule(displayName = "GitHub ETL")
@NullMarked
package io.walleye.etl;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
