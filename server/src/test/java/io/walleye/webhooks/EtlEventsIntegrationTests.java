package io.walleye.webhooks;

import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.etl.FakeGitHub;
import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** A finished ETL run tells operators through the feed, with the run as the API shows it. */
@WalleyeIntegrationTest
class EtlEventsIntegrationTests {

	@Autowired
	TestApi api;

	@Test
	void aSucceededRunIsAnEventInTheOperatorsFeed() {
		String org = "hooks-" + UUID.randomUUID().toString().substring(0, 8);
		FakeGitHub.shared().org(org, 5);
		String types = "/api/v1/changes?types=etl.run.succeeded,etl.run.failed&limit=500";
		String cursor = null;
		for (Response page = api.get(types).asAdmin().send(); ; page = api.get(types + "&after=" + cursor).asAdmin().send()) {
			cursor = page.json().get("next_cursor").asString();
			if (page.json().get("items").size() < 500) {
				break;
			}
		}
		Response started = api.post("/api/v1/etl/runs", Map.of("source", Map.of("org", org))).asAdmin().send();
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		String run = started.json().get("id").asString();
		JsonNode event = null;
		for (int i = 0; i < 6 && event == null; i++) {
			Response page = api.get(types + "&wait=10&after=" + cursor).asAdmin().send();
			cursor = page.json().get("next_cursor").asString();
			for (JsonNode item : page.json().get("items")) {
				if (item.get("data").get("id").asString().equals(run)) {
					event = item;
				}
			}
		}
		assertThat(event).as("etl.run event of run " + run).isNotNull();
		assertThat(event.get("type").asString()).isEqualTo("etl.run.succeeded");
		assertThat(event.get("data").get("status").asString()).isEqualTo("succeeded");
		assertThat(event.get("data").get("counts").get("loaded").asInt()).isEqualTo(5);
	}
}
