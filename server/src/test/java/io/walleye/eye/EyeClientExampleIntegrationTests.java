package io.walleye.eye;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.eye.EyeFixtures.App;
import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static io.walleye.eye.EyeFixtures.application;
import static org.assertj.core.api.Assertions.assertThat;

/** The eye-client page's example is this build's {@link EyeClientExample}, word for word, and it works. */
@WalleyeIntegrationTest
class EyeClientExampleIntegrationTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Test
	void theDocumentedExampleIsTheCompiledOne() throws Exception {
		String source = Files.readString(Path.of("src/test/java/io/walleye/eye/EyeClientExample.java"));
		String shown = source.substring(source.indexOf("import java.net.URI;"));
		assertThat(Files.readString(Path.of("../docs/eye.md"))).contains(shown);
	}

	@Test
	void theExampleSendsItsEventsToARealServer() throws Exception {
		App app = application(api, "example");
		EyeClientExample.main(new String[] { api.baseUrl(), app.key() });
		EyeFixtures.await(() -> jdbc.sql("select count(*) from eye_events where application_id = :app")
			.param("app", app.id())
			.query(Long.class)
			.single() == 2, "the example's two events stored");
	}
}
