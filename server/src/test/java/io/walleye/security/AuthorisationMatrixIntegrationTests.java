package io.walleye.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of {@code /v3/api-docs} called by every kind of caller, against the rule written for it below. An
 * operation without a rule (a new endpoint) fails the test, and so does a rule without an operation. "Allowed" means
 * past authorisation: any answer but 401 and 403 (a 400 for the empty body or a 404 for a made-up id is fine); a
 * party reaching for another's wallet or charge must get 404, so existence does not leak.
 */
@WalleyeIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorisationMatrixIntegrationTests {

	/** Who may call an operation. */
	enum Rule {

		/** Anyone; a credential that does not verify is still refused (401). */
		PUBLIC,
		/** Any valid credential. */
		AUTHENTICATED,
		/** Operators only. */
		OPERATOR,
		/** Applications only. */
		APPLICATION,
		/** Operators and applications (an application sees its own events). */
		OPERATOR_OR_APPLICATION,
		/** Customers, businesses and applications: their own API keys. */
		KEY_HOLDER,
		/** Customers and businesses, no particular wallet (list, open). */
		WALLET_HOLDER,
		/** The customer who owns the wallet in the path; any other party gets 404. */
		WALLET_OWNER,
		/** The business whose charge is in the path; another business gets 404, other kinds 403. */
		CHARGING_BUSINESS,
		/** Businesses only. */
		BUSINESS,
		/** Customers, businesses and operators, each over what is its own (webhooks, the change feed). */
		OWNER_NOT_APPLICATION

	}

	/** The rule of each operation; {@link BadInputFuzzIntegrationTests} picks its callers from it too. */
	static final Map<String, Rule> RULES = new LinkedHashMap<>();

	static {
		rule(Rule.PUBLIC, "POST /api/v1/auth/login", "POST /api/v1/customers", "POST /api/v1/businesses");
		rule(Rule.AUTHENTICATED, "GET /api/v1/auth/me", "POST /api/v1/auth/logout");
		rule(Rule.OPERATOR, "POST /api/v1/auth/password", "GET /api/v1/operators", "POST /api/v1/operators",
				"GET /api/v1/operators/{id}", "POST /api/v1/operators/{id}/disable",
				"POST /api/v1/operators/{id}/enable", "GET /api/v1/applications",
				"POST /api/v1/applications", "GET /api/v1/applications/{id}", "POST /api/v1/applications/{id}/api-keys",
				"DELETE /api/v1/applications/{id}/api-keys/{key_id}", "GET /api/v1/event-types",
				"GET /api/v1/event-types/{category}/{name}", "PUT /api/v1/event-types/{category}/{name}",
				"DELETE /api/v1/event-types/{category}/{name}", "GET /api/v1/etl/runs", "POST /api/v1/etl/runs",
				"GET /api/v1/etl/runs/{id}", "POST /api/v1/etl/runs/{id}/cancel", "GET /api/v1/repositories",
				"GET /api/v1/repositories/count", "GET /api/v1/repositories/stats",
				"GET /api/v1/repositories/{owner}/{name}", "GET /api/v1/repositories/{fullName}",
				"GET /api/v1/admin/ledger/verify", "GET /api/v1/applications/{id}/publishable-keys",
				"POST /api/v1/applications/{id}/publishable-keys",
				"DELETE /api/v1/applications/{id}/publishable-keys/{key_id}");
		// the credential is the publishable key in the body (BrowserIntakeIntegrationTests); no bearer is read
		rule(Rule.PUBLIC, "POST /api/v1/browser/events");
		rule(Rule.OWNER_NOT_APPLICATION, "GET /api/v1/changes", "GET /api/v1/webhook-endpoints",
				"POST /api/v1/webhook-endpoints", "GET /api/v1/webhook-endpoints/{id}",
				"PATCH /api/v1/webhook-endpoints/{id}", "DELETE /api/v1/webhook-endpoints/{id}",
				"POST /api/v1/webhook-endpoints/{id}/rotate-secret", "POST /api/v1/webhook-endpoints/{id}/test",
				"GET /api/v1/webhook-endpoints/{id}/deliveries", "POST /api/v1/webhook-deliveries/{id}/redeliver");
		rule(Rule.APPLICATION, "POST /api/v1/events");
		rule(Rule.OPERATOR_OR_APPLICATION, "GET /api/v1/events", "GET /api/v1/events/{id}",
				"GET /api/v1/sessions/{session_id}/events", "GET /api/v1/sessions/{session_id}",
				"GET /api/v1/events/failed", "GET /api/v1/events/failed/{id}", "POST /api/v1/events/failed/{id}/retry",
				"GET /api/v1/events/stats");
		rule(Rule.KEY_HOLDER, "GET /api/v1/api-keys", "POST /api/v1/api-keys", "DELETE /api/v1/api-keys/{keyId}");
		rule(Rule.WALLET_HOLDER, "GET /api/v1/wallets", "POST /api/v1/wallets");
		rule(Rule.WALLET_OWNER, "GET /api/v1/wallets/{token}", "POST /api/v1/wallets/{token}/deposits",
				"POST /api/v1/wallets/{token}/withdrawals", "GET /api/v1/wallets/{token}/operations",
				"GET /api/v1/wallets/{token}/balance", "GET /api/v1/wallets/{token}/statement");
		rule(Rule.BUSINESS, "POST /api/v1/charges", "POST /api/v1/charges/batch", "POST /api/v1/holds", "GET /api/v1/holds", "GET /api/v1/holds/{id}",
				"POST /api/v1/holds/{id}/captures", "POST /api/v1/holds/{id}/void");
		rule(Rule.CHARGING_BUSINESS, "POST /api/v1/charges/{operationId}/refunds");
	}

	private static void rule(Rule rule, String... operations) {
		for (String operation : operations) {
			RULES.put(operation, rule);
		}
	}

	/** The callers, in the order they call: the owner last, so a delete it is allowed does not spoil the others. */
	enum Caller {

		ANONYMOUS, REVOKED_KEY, EXPIRED_OPERATOR_TOKEN, ANOTHER_CUSTOMER, BUSINESS, ANOTHER_BUSINESS, APPLICATION,
		OPERATOR, CUSTOMER

	}

	@Autowired
	TestApi api;

	@Autowired
	DataSource dataSource;

	private final Map<Caller, Supplier<String>> credentials = new LinkedHashMap<>();

	private final Map<String, String> pathValues = new LinkedHashMap<>();

	private String customerKey = "";

	@BeforeAll
	void parties() {
		customerKey = register("customers");
		String wallet = api.post("/api/v1/wallets", Map.of("currency", "EUR")).bearer(customerKey).send().json()
			.get("token").asString();
		api.post("/api/v1/wallets/" + wallet + "/deposits", Map.of("amount", "50.00")).bearer(customerKey).send();
		String businessKey = register("businesses");
		api.post("/api/v1/wallets", Map.of("currency", "EUR")).bearer(businessKey).send();
		Response charged = api.post("/api/v1/charges",
				Map.of("wallet_token", wallet, "amount", "1.00", "invoice", "matrix-" + UUID.randomUUID()))
			.bearer(businessKey).send();
		assertThat(charged.status()).as(charged.toString()).isEqualTo(201);
		String charge = charged.json().get("id").asString();
		JsonNode application = api.post("/api/v1/applications", Map.of("name", "matrix-" + UUID.randomUUID()))
			.asAdmin().send().json();
		String applicationId = application.get("id").asString();
		String spareApplicationKey = api.post("/api/v1/applications/" + applicationId + "/api-keys").asAdmin().send()
			.json().get("id").asString();
		String spareCustomerKey = api.post("/api/v1/api-keys").bearer(customerKey).send().json().get("id").asString();
		String spareOperator = api.post("/api/v1/operators", Map.of("username", "matrix-" + shortId()))
			.asAdmin().send().json().get("id").asString();

		String revokedOwner = register("customers");
		String revokedId = api.get("/api/v1/api-keys").bearer(revokedOwner).send().json().get("items").get(0)
			.get("id").asString();
		// the last live key cannot be revoked: revoke it with a second one
		String second = api.post("/api/v1/api-keys").bearer(revokedOwner).send().json().get("api_key").asString();
		assertThat(api.delete("/api/v1/api-keys/" + revokedId).bearer(second).send().status()).isEqualTo(204);
		String expired = login();
		JdbcClient.create(dataSource)
			.sql("update credentials set expires_at = :past where secret_hash = sha256(convert_to(:token, 'UTF8'))")
			.param("past", java.sql.Timestamp.from(Instant.now().minusSeconds(60)))
			.param("token", expired)
			.update();

		String anotherCustomer = register("customers");
		String anotherBusiness = register("businesses");
		String applicationKey = application.get("api_key").asString();
		credentials.put(Caller.ANONYMOUS, () -> "");
		credentials.put(Caller.REVOKED_KEY, () -> revokedOwner);
		credentials.put(Caller.EXPIRED_OPERATOR_TOKEN, () -> expired);
		credentials.put(Caller.ANOTHER_CUSTOMER, () -> anotherCustomer);
		credentials.put(Caller.BUSINESS, () -> businessKey);
		credentials.put(Caller.ANOTHER_BUSINESS, () -> anotherBusiness);
		credentials.put(Caller.APPLICATION, () -> applicationKey);
		// a fresh token for each call: logout revokes the one it is sent with
		credentials.put(Caller.OPERATOR, this::login);
		credentials.put(Caller.CUSTOMER, () -> customerKey);

		pathValues.put("token", wallet);
		pathValues.put("operationId", charge);
		pathValues.put("keyId", spareCustomerKey);
		pathValues.put("key_id", spareApplicationKey);
		pathValues.put("session_id", UUID.randomUUID().toString());
		pathValues.put("category", "matrix");
		pathValues.put("name", "nothing");
		pathValues.put("owner", "nobody");
		pathValues.put("fullName", "nobody%2Fnothing");
		pathValues.put("path:/api/v1/applications/{id}", applicationId);
		pathValues.put("path:/api/v1/operators/{id}", spareOperator);
	}

	@Test
	void everyOperationHasARuleAndEveryRuleAnOperation() {
		TreeSet<String> documented = new TreeSet<>(operations());
		assertThat(documented).as("operations without a rule in the matrix").isSubsetOf(RULES.keySet());
		assertThat(RULES.keySet()).as("rules for operations that no longer exist").isSubsetOf(documented);
	}

	@Test
	void everyCallerGetsWhatTheRuleSays() {
		List<String> violations = new ArrayList<>();
		for (String operation : operations()) {
			Rule rule = RULES.get(operation);
			if (rule == null) {
				continue;
			}
			for (Caller caller : Caller.values()) {
				Expected expected = expected(rule, caller);
				Response response = call(operation, caller);
				if (!expected.matches(response.status())) {
					violations.add(operation + " as " + caller + ": expected " + expected + ", got " + response);
				}
			}
		}
		assertThat(violations).isEmpty();
	}

	/** The documented operations, e.g. {@code GET /api/v1/wallets/{token}}. */
	private final java.util.Set<String> withBody = new java.util.HashSet<>();

	private List<String> operations() {
		JsonNode paths = api.get("/v3/api-docs").send().json().get("paths");
		List<String> operations = new ArrayList<>();
		for (String path : paths.propertyNames()) {
			for (String method : paths.get(path).propertyNames()) {
				// the test-only controllers (test-keys, test-problems) are not part of the product
				if (List.of("get", "post", "put", "delete", "patch").contains(method)
						&& !path.startsWith("/api/v1/test-")) {
					String operation = method.toUpperCase(java.util.Locale.ROOT) + " " + path;
					operations.add(operation);
					if (paths.get(path).get(method).has("requestBody")) {
						withBody.add(operation);
					}
				}
			}
		}
		return operations;
	}

	private Response call(String operation, Caller caller) {
		String method = operation.substring(0, operation.indexOf(' '));
		String template = operation.substring(operation.indexOf(' ') + 1);
		String path = template;
		for (String name : List.of("id", "token", "operationId", "keyId", "key_id", "session_id", "category", "name",
				"owner", "fullName")) {
			String value = name.equals("id") ? pathValues.getOrDefault("path:" + prefixOf(template),
					UUID.randomUUID().toString()) : pathValues.get(name);
			path = path.replace("{" + name + "}", String.valueOf(value));
		}
		TestApi.Call call = switch (method) {
			case "GET" -> api.get(path);
			case "DELETE" -> api.delete(path);
			case "PUT" -> api.put(path, "{}");
			case "PATCH" -> api.patch(path, "{}");
			default -> withBody.contains(operation) ? api.post(path, "{}") : api.post(path);
		};
		String credential = credentials.get(caller).get();
		if (!credential.isEmpty()) {
			call.bearer(credential);
		}
		// statuses are what this test checks; the document's schemas are the contract test's business
		return call.sendUnchecked();
	}

	private static String prefixOf(String template) {
		int id = template.indexOf("{id}");
		return id < 0 ? template : template.substring(0, id + 4);
	}

	static Expected expected(Rule rule, Caller caller) {
		if (caller == Caller.REVOKED_KEY || caller == Caller.EXPIRED_OPERATOR_TOKEN) {
			return Expected.UNAUTHORIZED;
		}
		if (caller == Caller.ANONYMOUS) {
			return rule == Rule.PUBLIC ? Expected.ALLOWED : Expected.UNAUTHORIZED;
		}
		boolean customer = caller == Caller.CUSTOMER || caller == Caller.ANOTHER_CUSTOMER;
		boolean business = caller == Caller.BUSINESS || caller == Caller.ANOTHER_BUSINESS;
		return switch (rule) {
			case PUBLIC, AUTHENTICATED -> Expected.ALLOWED;
			case OPERATOR -> caller == Caller.OPERATOR ? Expected.ALLOWED : Expected.FORBIDDEN;
			case APPLICATION -> caller == Caller.APPLICATION ? Expected.ALLOWED : Expected.FORBIDDEN;
			case OPERATOR_OR_APPLICATION -> caller == Caller.OPERATOR || caller == Caller.APPLICATION ? Expected.ALLOWED
					: Expected.FORBIDDEN;
			case KEY_HOLDER -> caller == Caller.OPERATOR ? Expected.FORBIDDEN : Expected.ALLOWED;
			case WALLET_HOLDER -> customer || business ? Expected.ALLOWED : Expected.FORBIDDEN;
			case WALLET_OWNER -> caller == Caller.CUSTOMER ? Expected.ALLOWED
					: customer || business ? Expected.NOT_FOUND : Expected.FORBIDDEN;
			case BUSINESS -> business ? Expected.ALLOWED : Expected.FORBIDDEN;
			case OWNER_NOT_APPLICATION -> caller == Caller.APPLICATION ? Expected.FORBIDDEN : Expected.ALLOWED;
			case CHARGING_BUSINESS -> caller == Caller.BUSINESS ? Expected.ALLOWED
					: caller == Caller.ANOTHER_BUSINESS ? Expected.NOT_FOUND : Expected.FORBIDDEN;
		};
	}

	enum Expected {

		ALLOWED, UNAUTHORIZED, FORBIDDEN, NOT_FOUND;

		boolean matches(int status) {
			return switch (this) {
				// 405 would mean the test called the wrong method, which proves nothing about the rule
				case ALLOWED -> status != 401 && status != 403 && status != 405 && status < 500;
				case UNAUTHORIZED -> status == 401;
				case FORBIDDEN -> status == 403;
				case NOT_FOUND -> status == 404;
			};
		}
	}

	private String register(String kind) {
		Response response = api
			.post("/api/v1/" + kind, Map.of("name", "matrix", "email", UUID.randomUUID() + "@example.test"))
			.send();
		assertThat(response.status()).isEqualTo(201);
		return response.json().get("api_key").asString();
	}

	private String login() {
		return api.post("/api/v1/auth/login", Map.of("username", "admin", "password", TestApi.ADMIN_PASSWORD))
			.send()
			.json()
			.get("access_token")
			.asString();
	}

	private static String shortId() {
		return UUID.randomUUID().toString().substring(0, 8);
	}
}
