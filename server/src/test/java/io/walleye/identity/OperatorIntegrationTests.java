package io.walleye.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Operators change their passwords and manage each other over the API; admin's own password is never touched. */
@WalleyeIntegrationTest
class OperatorIntegrationTests {

	@Autowired
	TestApi api;

	record Created(String id, String username, String password) {
	}

	private Created create() {
		String username = "op-" + UUID.randomUUID().toString().substring(0, 8);
		Response response = api.post("/api/v1/operators", Map.of("username", username)).asAdmin().send();
		assertThat(response.status()).isEqualTo(201);
		return new Created(response.json().get("id").asString(), username,
				response.json().get("generated_password").asString());
	}

	private Response login(String username, String password) {
		return api.post("/api/v1/auth/login", Map.of("username", username, "password", password)).send();
	}

	private String token(Created operator) {
		Response login = login(operator.username(), operator.password());
		assertThat(login.status()).isEqualTo(200);
		return login.json().get("access_token").asString();
	}

	@Test
	void anOperatorCreatedWithoutAPasswordGetsAGeneratedOneThatSignsIn() {
		Created created = create();

		assertThat(created.password()).hasSizeGreaterThanOrEqualTo(20);
		String token = token(created);
		assertThat(api.get("/api/v1/auth/me").bearer(token).send().json().get("username").asString())
			.isEqualTo(created.username());
		assertThat(api.get("/api/v1/operators/" + created.id()).asAdmin().send().json().has("generated_password"))
			.isFalse();
	}

	@Test
	void anOperatorCreatedWithAPasswordSignsInWithIt() {
		String username = "chosen-" + UUID.randomUUID().toString().substring(0, 8);
		Response response = api.post("/api/v1/operators", Map.of("username", username, "password", "a-long-password-1"))
			.asAdmin()
			.send();

		assertThat(response.status()).isEqualTo(201);
		assertThat(response.json().get("generated_password").isNull()).isTrue();
		assertThat(login(username, "a-long-password-1").status()).isEqualTo(200);
	}

	@Test
	void aSecondOperatorOfTheSameNameIs409() {
		Created created = create();

		Response again = api.post("/api/v1/operators", Map.of("username", created.username())).asAdmin().send();

		assertThat(again.status()).isEqualTo(409);
		assertThat(again.json().get("code").asString()).isEqualTo("operator_exists");
	}

	@Test
	void aShortPasswordOrABadUsernameIs400NamingTheField() {
		Response shortPassword = api.post("/api/v1/operators", Map.of("username", "shorty", "password", "too-short"))
			.asAdmin()
			.send();
		assertThat(shortPassword.status()).isEqualTo(400);
		assertThat(shortPassword.json().get("code").asString()).isEqualTo("validation_failed");
		assertThat(shortPassword.json().get("errors").get(0).get("field").asString()).isEqualTo("password");

		Response badName = api.post("/api/v1/operators", Map.of("username", "has space")).asAdmin().send();
		assertThat(badName.status()).isEqualTo(400);
		assertThat(badName.json().get("errors").get(0).get("field").asString()).isEqualTo("username");
	}

	@Test
	void operatorsAreListedPageByPage() {
		create();
		create();

		JsonNode first = api.get("/api/v1/operators?limit=1").asAdmin().send().json();
		assertThat(first.get("items")).hasSize(1);
		assertThat(first.get("items").get(0).get("username").asString()).isEqualTo("admin");
		assertThat(first.get("items").get(0).has("password_hash")).isFalse();
		JsonNode second = api.get("/api/v1/operators?limit=1&cursor=" + first.get("next_cursor").asString())
			.asAdmin()
			.send()
			.json();
		assertThat(second.get("items")).hasSize(1);
		assertThat(second.get("items").get(0).get("username").asString()).isNotEqualTo("admin");
	}

	@Test
	void onlyOperatorsManageOperators() {
		String key = api.post("/api/v1/test-keys/customer").asAdmin().send().json().get("key").asString();

		assertThat(api.get("/api/v1/operators").bearer(key).send().status()).isEqualTo(403);
		assertThat(api.get("/api/v1/operators").send().status()).isEqualTo(401);
	}

	@Test
	void anOperatorChangesItsPassword() {
		Created operator = create();
		String token = token(operator);

		Response changed = api.post("/api/v1/auth/password",
				Map.of("current_password", operator.password(), "new_password", "my-new-password-42"))
			.bearer(token)
			.send();

		assertThat(changed.status()).isEqualTo(204);
		assertThat(login(operator.username(), operator.password()).status()).isEqualTo(401);
		assertThat(login(operator.username(), "my-new-password-42").status()).isEqualTo(200);
	}

	@Test
	void aWrongCurrentPasswordIs403AndChangesNothing() {
		Created operator = create();

		Response refused = api.post("/api/v1/auth/password",
				Map.of("current_password", "not-the-password", "new_password", "my-new-password-42"))
			.bearer(token(operator))
			.send();

		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.json().get("code").asString()).isEqualTo("wrong_password");
		assertThat(login(operator.username(), operator.password()).status()).isEqualTo(200);
	}

	@Test
	void aNewPasswordBelowTheMinimumIs400() {
		Created operator = create();

		Response refused = api.post("/api/v1/auth/password",
				Map.of("current_password", operator.password(), "new_password", "short"))
			.bearer(token(operator))
			.send();

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("new_password");
		assertThat(refused.json().get("errors").get(0).get("message").asString()).contains("at least 12 characters");
	}

	@Test
	void keyHoldersHaveNoPasswordToChange() {
		String key = api.post("/api/v1/test-keys/business").asAdmin().send().json().get("key").asString();

		Response refused = api.post("/api/v1/auth/password",
				Map.of("current_password", "whatever-it-is", "new_password", "my-new-password-42"))
			.bearer(key)
			.send();

		assertThat(refused.status()).isEqualTo(403);
	}

	@Test
	void aDisabledOperatorsTokensStopAtOnceAndItCannotSignIn() {
		Created operator = create();
		String token = token(operator);
		assertThat(api.get("/api/v1/auth/me").bearer(token).send().status()).isEqualTo(200);

		Response disabled = api.post("/api/v1/operators/" + operator.id() + "/disable").asAdmin().send();

		assertThat(disabled.status()).isEqualTo(200);
		assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
		assertThat(disabled.json().get("disabled_at").isNull()).isFalse();
		assertThat(api.get("/api/v1/auth/me").bearer(token).send().status()).isEqualTo(401);
		assertThat(login(operator.username(), operator.password()).status()).isEqualTo(401);
		assertThat(api.post("/api/v1/operators/" + operator.id() + "/disable").asAdmin().send().status())
			.isEqualTo(200);

		Response enabled = api.post("/api/v1/operators/" + operator.id() + "/enable").asAdmin().send();

		assertThat(enabled.status()).isEqualTo(200);
		assertThat(enabled.json().get("enabled").asBoolean()).isTrue();
		assertThat(enabled.json().get("disabled_at").isNull()).isTrue();
		assertThat(api.get("/api/v1/auth/me").bearer(token).send().status()).as("old tokens stay revoked").isEqualTo(401);
		assertThat(login(operator.username(), operator.password()).status()).isEqualTo(200);
		assertThat(api.post("/api/v1/operators/" + operator.id() + "/enable").asAdmin().send().status())
			.isEqualTo(200);
		assertThat(api.post("/api/v1/operators/" + UUID.randomUUID() + "/enable").asAdmin().send().status())
			.isEqualTo(404);
	}

	@Test
	void anOperatorCannotDisableItself() {
		Created operator = create();

		Response refused = api.post("/api/v1/operators/" + operator.id() + "/disable").bearer(token(operator)).send();

		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.json().get("code").asString()).isEqualTo("cannot_disable_self");
	}

	@Test
	void disablingAnUnknownOperatorIs404() {
		Response response = api.post("/api/v1/operators/" + UUID.randomUUID() + "/disable").asAdmin().send();

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.json().get("code").asString()).isEqualTo("operator_not_found");
	}

	/**
	 * Two operators disabling each other at the same moment must not leave both disabled: with only the two of them
	 * enabled that would lock every operator out. The enabled operators' rows are locked in one order, so the second
	 * sees the first's decision.
	 */
	@Test
	void twoOperatorsDisablingEachOtherAtOnceLeaveOneEnabled() throws Exception {
		for (int round = 0; round < 5; round++) {
			Created one = create();
			Created other = create();
			String oneToken = token(one);
			String otherToken = token(other);
			List<Integer> statuses = new ArrayList<>();
			try (var executor = Executors.newFixedThreadPool(2)) {
				Future<Integer> first = executor.submit(() -> api.post("/api/v1/operators/" + other.id() + "/disable")
					.bearer(oneToken)
					.send()
					.status());
				Future<Integer> second = executor.submit(() -> api.post("/api/v1/operators/" + one.id() + "/disable")
					.bearer(otherToken)
					.send()
					.status());
				statuses.add(first.get());
				statuses.add(second.get());
			}
			assertThat(statuses).containsOnlyOnce(200).doesNotContain(500);
			long enabled = java.util.stream.Stream.of(one, other)
				.filter(op -> api.get("/api/v1/operators/" + op.id()).asAdmin().send().json().get("enabled").asBoolean())
				.count();
			assertThat(enabled).isEqualTo(1);
		}
	}
}
