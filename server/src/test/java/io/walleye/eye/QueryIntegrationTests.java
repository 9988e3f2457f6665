package io.walleye.eye;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.eye.EyeFixtures.App;
import io.walleye.support.TestApi;
import io.walleye.support.WalleyeIntegrationTest;

import static io.walleye.eye.EyeFixtures.application;
import static io.walleye.eye.EyeFixtures.event;
import static io.walleye.eye.EyeFixtures.ids;
import static io.walleye.eye.EyeFixtures.pageview;
import static io.walleye.eye.EyeFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

@WalleyeIntegrationTest
@ParameterizedClass
@EnumSource(EyeProperties.Transport.class)
class QueryIntegrationTests extends OnBothTransports {

	@Autowired
	TestApi api;

	/** Sends the events and waits until all are stored. */
	private List<UUID> sendAndWait(App app, List<Object> events) {
		TestApi.Response response = api.post("/api/v1/events", events).bearer(app.key()).send();
		assertThat(response.status()).isEqualTo(202);
		List<UUID> ids = EyeFixtures.ids(response);
		ids.forEach(id -> stored(api, id));
		return ids;
	}

	private static List<String> itemIds(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.get("items").forEach(item -> ids.add(item.get("id").asString()));
		return ids;
	}

	@Test
	void aSessionsEventsComeInOrderOfOccurrenceWhateverTheOrderSent() {
		App app = application(api, "query");
		App other = application(api, "query");
		UUID session = UUID.randomUUID();
		Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
		List<UUID> sent = sendAndWait(app, List.of(pageview(session, base.plusSeconds(30)),
				pageview(session, base.plusSeconds(10)), pageview(session, base.plusSeconds(20))));
		List<UUID> fromOther = sendAndWait(other, List.of(pageview(session, base.plusSeconds(40))));

		JsonNode events = api.get("/api/v1/sessions/" + session + "/events").asAdmin().send().json();
		assertThat(itemIds(events)).containsExactly(sent.get(1).toString(), sent.get(2).toString(), sent.get(0).toString(),
				fromOther.getFirst().toString());

		JsonNode summary = api.get("/api/v1/sessions/" + session).asAdmin().send().json();
		assertThat(summary.get("count").asLong()).isEqualTo(4);
		assertThat(Instant.parse(summary.get("first_timestamp").asString())).isEqualTo(base.plusSeconds(10));
		assertThat(Instant.parse(summary.get("last_timestamp").asString())).isEqualTo(base.plusSeconds(40));
		assertThat(summary.get("applications")).hasSize(2);

		JsonNode own = api.get("/api/v1/sessions/" + session + "/events").bearer(app.key()).send().json();
		assertThat(itemIds(own)).hasSize(3).doesNotContain(fromOther.getFirst().toString());
		assertThat(api.get("/api/v1/sessions/" + UUID.randomUUID()).asAdmin().send().status()).isEqualTo(404);
	}

	@Test
	void byCategoryAndTimeRangeReturnsExactlyTheEventsInsideIt() {
		App app = application(api, "query");
		String category = "cat-" + UUID.randomUUID();
		Instant base = Instant.parse("2026-11-15T10:00:00Z");
		UUID session = UUID.randomUUID();
		List<Object> events = new ArrayList<>();
		for (int minute = 0; minute < 6; minute++) {
			events.add(event(session, category, "n", base.plus(minute * 10L, ChronoUnit.MINUTES), Map.of()));
		}
		events.add(event(session, "other-" + UUID.randomUUID(), "n", base.plus(15, ChronoUnit.MINUTES), Map.of()));
		List<UUID> sent = sendAndWait(app, events);

		String range = "&from=" + base.plus(10, ChronoUnit.MINUTES) + "&to=" + base.plus(40, ChronoUnit.MINUTES);
		JsonNode asc = api.get("/api/v1/events?category=" + category + range + "&order=asc").asAdmin().send().json();
		assertThat(itemIds(asc)).containsExactly(sent.get(1).toString(), sent.get(2).toString(), sent.get(3).toString());
		JsonNode desc = api.get("/api/v1/events?category=" + category + range).asAdmin().send().json();
		assertThat(itemIds(desc)).containsExactly(sent.get(3).toString(), sent.get(2).toString(), sent.get(1).toString());
	}

	@Test
	void aRangeThatEndsBeforeItStartsIsRefusedNamingFrom() {
		String range = "?from=2021-01-02T00:00:00Z&to=2021-01-01T00:00:00Z";
		for (String path : List.of("/api/v1/events", "/api/v1/events/failed")) {
			TestApi.Response response = api.get(path + range).asAdmin().send();
			assertThat(response.status()).as(path).isEqualTo(400);
			assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("from");
		}
	}

	@Test
	void problemsNameTheSessionAsTheClientSpellsIt() {
		TestApi.Response response = api.get("/api/v1/sessions/not-a-uuid/events").asAdmin().send();
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body()).contains("session_id").doesNotContain("sessionId");
	}

	@Test
	void pagesFollowTheCursorWithoutGapsOrRepeats() {
		App app = application(api, "query");
		UUID session = UUID.randomUUID();
		Instant base = Instant.now().minus(2, ChronoUnit.HOURS);
		List<Object> events = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			events.add(pageview(session, base.plusSeconds(i % 3)));
		}
		sendAndWait(app, events);
		List<String> seen = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = api.get("/api/v1/events?session_id=" + session + "&limit=3&order=asc"
					+ (cursor == null ? "" : "&cursor=" + cursor)).asAdmin().send().json();
			seen.addAll(itemIds(page));
			cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
		}
		while (cursor != null);
		assertThat(seen).hasSize(7).doesNotHaveDuplicates();
		assertThat(api.get("/api/v1/events?cursor=garbage").asAdmin().send().status()).isEqualTo(400);
		assertThat(api.get("/api/v1/events?order=sideways").asAdmin().send().status()).isEqualTo(400);
	}

	@Test
	void anApplicationSeesOnlyItsOwnEvents() {
		App app = application(api, "query");
		App other = application(api, "query");
		UUID session = UUID.randomUUID();
		UUID mine = sendAndWait(app, List.of(pageview(session, Instant.now()))).getFirst();
		UUID theirs = sendAndWait(other, List.of(pageview(session, Instant.now()))).getFirst();

		assertThat(itemIds(api.get("/api/v1/events?session_id=" + session).bearer(app.key()).send().json()))
			.containsExactly(mine.toString());
		assertThat(api.get("/api/v1/events?session_id=" + session + "&application_id=" + other.id())
			.bearer(app.key())
			.send()
			.json()
			.get("items")).isEmpty();
		assertThat(api.get("/api/v1/events/" + theirs).bearer(app.key()).send().status()).isEqualTo(404);
		assertThat(api.get("/api/v1/events/" + mine).bearer(app.key()).send().status()).isEqualTo(200);
		assertThat(itemIds(api.get("/api/v1/events?session_id=" + session + "&application_id=" + other.id())
			.asAdmin()
			.send()
			.json())).containsExactly(theirs.toString());
	}

	@Test
	void failedEventsAreListedByReason() {
		App app = application(api, "query");
		UUID session = UUID.randomUUID();
		List<UUID> sent = EyeFixtures.ids(api.post("/api/v1/events",
				List.of(event(session, "page interaction", "pageview", Instant.now(), Map.of("path", "/")),
						pageview(session, Instant.now().plus(1, ChronoUnit.DAYS))))
			.bearer(app.key())
			.send());
		sent.forEach(id -> EyeFixtures.failed(api, id));

		JsonNode schema = api.get("/api/v1/events/failed?reason=schema_violation").bearer(app.key()).send().json();
		assertThat(itemIds(schema)).containsExactly(sent.get(0).toString());
		JsonNode future = api.get("/api/v1/events/failed?reason=timestamp_in_future").bearer(app.key()).send().json();
		assertThat(itemIds(future)).containsExactly(sent.get(1).toString());
		assertThat(api.get("/api/v1/events/failed?reason=boredom").asAdmin().send().status()).isEqualTo(400);
	}

	@Test
	void statsCountValidAndFailedPerBucket() {
		App app = application(api, "query");
		String category = "stats-" + UUID.randomUUID();
		Instant base = Instant.parse("2026-11-20T08:00:00Z");
		UUID session = UUID.randomUUID();
		sendAndWait(app, List.of(event(session, category, "a", base.plusSeconds(5), Map.of()),
				event(session, category, "a", base.plusSeconds(65), Map.of()),
				event(session, category, "b", base.plusSeconds(70), Map.of())));

		JsonNode stats = api.get("/api/v1/events/stats?interval=minute&group_by=category&from=" + base + "&to="
				+ base.plusSeconds(180)).bearer(app.key()).send().json();
		List<String> buckets = new ArrayList<>();
		stats.get("buckets").forEach(b -> {
			if (b.get("group").asString().equals(category)) {
				buckets.add(b.get("start").asString() + "=" + b.get("valid").asLong() + "/" + b.get("failed").asLong());
			}
		});
		assertThat(buckets).containsExactly("2026-11-20T08:00:00Z=1/0", "2026-11-20T08:01:00Z=2/0");
		assertThat(api.get("/api/v1/events/stats?interval=week").asAdmin().send().status()).isEqualTo(400);
		assertThat(api.get("/api/v1/events/stats?group_by=colour").asAdmin().send().status()).isEqualTo(400);
	}
}
