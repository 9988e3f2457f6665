package io.walleye.eye;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.eye.EyeFixtures.App;
import io.walleye.eye.worker.EventValidator;
import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static io.walleye.eye.EyeFixtures.application;
import static io.walleye.eye.EyeFixtures.event;
import static io.walleye.eye.EyeFixtures.failed;
import static io.walleye.eye.EyeFixtures.ids;
import static io.walleye.eye.EyeFixtures.pageview;
import static io.walleye.eye.EyeFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

/** Events the worker refuses, filed among the failed events with their reason, whichever transport carried them. */
@WalleyeIntegrationTest
@ParameterizedClass
@EnumSource(EyeProperties.Transport.class)
class FailedEventIntegrationTests extends OnBothTransports {

	@Autowired
	TestApi api;

	@Autowired
	EventValidator validator;

	@Test
	void dataThatBreaksItsSchemaFailsWithTheValidatorsMessagesAndTheRawEvent() {
		App app = application(api, "worker");
		UUID session = UUID.randomUUID();
		List<Object> batch = List.of(
				event(session, "page interaction", "pageview", Instant.now(), Map.of("path", "/")),
				event(session, "page interaction", "cta click", Instant.now(), Map.of("host", "h", "path", "/")),
				event(session, "form interaction", "submit", Instant.now(),
						Map.of("host", "h", "path", "/", "form", Map.of("first_name", 7, "last_name", "B"))));
		List<UUID> ids = ids(api.post("/api/v1/events", batch).bearer(app.key()).send());

		for (UUID id : ids) {
			JsonNode failure = failed(api, id);
			assertThat(failure.get("reason").asString()).isEqualTo("schema_violation");
			assertThat(failure.get("messages")).isNotEmpty();
			assertThat(failure.get("raw").get("session_id").asString()).isEqualTo(session.toString());
		}
		assertThat(failed(api, ids.get(0)).get("messages").get(0).asString()).contains("host");
		assertThat(failed(api, ids.get(1)).get("messages").get(0).asString()).contains("element");
		assertThat(failed(api, ids.get(2)).get("messages").get(0).asString()).contains("first_name");
		assertThat(api.get("/api/v1/events?session_id=" + session).asAdmin().send().json().get("items")).isEmpty();
	}

	@Test
	void aTimestampTooFarInTheFutureFails() {
		App app = application(api, "worker");
		UUID session = UUID.randomUUID();
		List<Object> batch = List.of(pageview(session, Instant.now().plus(Duration.ofMinutes(10))),
				pageview(session, Instant.now().plus(Duration.ofMinutes(2))));
		List<UUID> ids = ids(api.post("/api/v1/events", batch).bearer(app.key()).send());

		assertThat(failed(api, ids.get(0)).get("reason").asString()).isEqualTo("timestamp_in_future");
		stored(api, ids.get(1));
	}

	@Test
	void unknownTypesAreStoredByDefaultAndFailWhenRejected() {
		App app = application(api, "worker");
		UUID session = UUID.randomUUID();
		UUID accepted = ids(api.post("/api/v1/events",
				event(session, "video", "play-" + UUID.randomUUID(), Instant.now(), Map.of("seconds", 3)))
			.bearer(app.key())
			.send()).getFirst();
		stored(api, accepted);

		validator.unknownTypes(EyeProperties.UnknownTypes.REJECT);
		try {
			UUID rejected = ids(api.post("/api/v1/events",
					event(session, "video", "play-" + UUID.randomUUID(), Instant.now(), Map.of("seconds", 3)))
				.bearer(app.key())
				.send()).getFirst();
			assertThat(failed(api, rejected).get("reason").asString()).isEqualTo("unknown_type");
		}
		finally {
			validator.unknownTypes(EyeProperties.UnknownTypes.ACCEPT);
		}
	}
}
