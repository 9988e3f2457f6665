package io.walleye.platform.db;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the embedded PostgreSQL.
 *
 * @param dataDir where its data lives between restarts
 * @param port the port it listens on, 0 for any free one
 * @param ephemeral a throw-away server in a temporary directory, deleted on shutdown (tests)
 * @param maxConnections PostgreSQL's max_connections
 * @param sharedBuffers PostgreSQL's shared_buffers
 */
@ConfigurationProperties("walleye.embedded-postgres")
record EmbeddedPostgresProperties(@DefaultValue("data/postgres") Path dataDir, @DefaultValue("0") int port,
		@DefaultValue("false") boolean ephemeral, @DefaultValue("200") int maxConnections,
		@DefaultValue("256MB") String sharedBuffers) {
}
