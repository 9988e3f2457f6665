package io.walleye.security;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.walleye.security.AuthorisationMatrixIntegrationTests.Caller;
import io.walleye.security.AuthorisationMatrixIntegrationTests.Expected;
import io.walleye.security.AuthorisationMatrixIntegrationTests.Rule;
import io.walleye.support.TestApi;
import io.walleye.support.TestApi.Response;
import io.walleye.support.WalleyeIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against every operation of {@code /v3/api-docs}, generated from the document itself so that a new
 * endpoint is fuzzed without an edit here. Each try takes an operation, a caller the authorisation matrix allows (so
 * authentication does not answer first), a plausible request built from the operation's schema, and spoils it: a
 * field of the wrong type, huge, negative or exponent numbers, {@code "NaN"}, long, NUL and non-UTF-8 text, 10,000
 * levels of nesting, duplicate, missing and unknown fields, another media type, an oversize body, malformed ids,
 * cursors and instants in the path and query. The properties: no 5xx; every 4xx is {@code application/problem+json}
 * with a {@code code}; a request refused for its input changes no row of the tables the API writes.
 * <p>
 * Seeded and bounded: {@code -Dwalleye.fuzz.tries=N} (default 1,500) and {@code -Dwalleye.fuzz.seed=S} (printed on
 * failure) run longer or replay a run. The requests go over a raw {@link HttpClient}, since the contract check of
 * {@link TestApi} would refuse to send most of them.
 */
@WalleyeIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputFuzzIntegrationTests {

	static final int TRIES = Integer.getInteger("walleye.fuzz.tries", 1_500);

	static final long SEED = Long.getLong("walleye.fuzz.seed", 14L);

	/** What a caller sends; the operator's password is what fields named like a password get. */
	private static final String OPERATOR_PASSWORD = "fuzz-operator-password-14";

	private static final String ORIGIN = "https://fuzz.example";

	/** Not a status: the connection closed while an oversize body was still being sent. */
	private static final int CLOSED_ON_OVERSIZE = 1;

	/**
	 * Tables left out of the digest, because a job in the background writes them whatever the requests do (the Eye's
	 * worker, webhook delivery, the ETL, bucket and throttle bookkeeping) or because a refusal is recorded on purpose.
	 */
	private static final List<String> NOT_DIGESTED = List.of("eye_events", "eye_intake", "eye_failed_events",
			"webhook_deliveries", "webhook_attempts", "webhook_feed", "etl_", "github_", "rate_limit_buckets",
			"flyway_schema_history",
			// a failed sign-in is counted against the username on purpose (the throttle)
			"login_throttle");

	/**
	 * Tables whose rows a background job updates (a delivery's failure count, an expired hold, the feed's sequencer
	 * giving committed events their place, which any read of the feed also does): their row count is compared, not
	 * their row versions.
	 */
	private static final List<String> COUNTED_ONLY = List.of("webhook_endpoints", "holds", "webhook_events");

	@Autowired
	TestApi api;

	@Autowired
	DataSource dataSource;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Map<Caller, String> credentials = new LinkedHashMap<>();

	private final Map<String, String> pathValues = new LinkedHashMap<>();

	private final Map<String, JsonNode> semantic = new LinkedHashMap<>();

	private JsonNode document = TestApi.json().nullNode();

	@BeforeAll
	void parties() {
		String customer = register("customers");
		String wallet = api.post("/api/v1/wallets", Map.of("currency", "EUR")).bearer(customer).send().json()
			.get("token").asString();
		api.post("/api/v1/wallets/" + wallet + "/deposits", Map.of("amount", "500.00")).bearer(customer).send();
		String business = register("businesses");
		api.post("/api/v1/wallets", Map.of("currency", "EUR")).bearer(business).send();
		String charge = api.post("/api/v1/charges",
				Map.of("wallet_token", wallet, "amount", "1.00", "invoice", "fuzz-" + UUID.randomUUID()))
			.bearer(business).send().json().get("id").asString();
		String hold = api.post("/api/v1/holds",
				Map.of("wallet_token", wallet, "amount", "1.00", "invoice", "fuzz-" + UUID.randomUUID()))
			.bearer(business).send().json().get("id").asString();
		JsonNode application = api.post("/api/v1/applications", Map.of("name", "fuzz-" + UUID.randomUUID()))
			.asAdmin().send().json();
		String applicationId = application.get("id").asString();
		String spareApplicationKey = api.post("/api/v1/applications/" + applicationId + "/api-keys").asAdmin().send()
			.json().get("id").asString();
		JsonNode publishable = api.post("/api/v1/applications/" + applicationId + "/publishable-keys",
				Map.of("allowed_origins", List.of(ORIGIN))).asAdmin().send().json();
		String spareCustomerKey = api.post("/api/v1/api-keys").bearer(customer).send().json().get("id").asString();
		String spareOperator = api.post("/api/v1/operators", Map.of("username", "fuzz-spare-" + shortId()))
			.asAdmin().send().json().get("id").asString();
		String endpoint = api.post("/api/v1/webhook-endpoints",
				Map.of("url", "http://127.0.0.1:9/fuzz", "event_types", List.of("operation.accepted")))
			.bearer(customer).send().json().get("id").asString();
		// disabled, so that no delivery worker updates it (its failure count) while the digest is compared
		api.patch("/api/v1/webhook-endpoints/" + endpoint, Map.of("enabled", false)).bearer(customer).send();
		api.put("/api/v1/event-types/fuzz/thing", Map.of("type", "object")).asAdmin().send();

		credentials.put(Caller.ANONYMOUS, "");
		credentials.put(Caller.CUSTOMER, customer);
		credentials.put(Caller.BUSINESS, business);
		credentials.put(Caller.APPLICATION, application.get("api_key").asString());
		credentials.put(Caller.OPERATOR, newOperator());

		pathValues.put("token", wallet);
		pathValues.put("operationId", charge);
		pathValues.put("keyId", spareCustomerKey);
		pathValues.put("key_id", spareApplicationKey);
		pathValues.put("session_id", UUID.randomUUID().toString());
		pathValues.put("category", "fuzz");
		pathValues.put("name", "thing");
		pathValues.put("owner", "nobody");
		pathValues.put("fullName", "nobody%2Fnothing");
		pathValues.put("/api/v1/applications/{id}", applicationId);
		pathValues.put("/api/v1/operators/{id}", spareOperator);
		pathValues.put("/api/v1/holds/{id}", hold);
		pathValues.put("/api/v1/webhook-endpoints/{id}", endpoint);

		// values that get a request past its first checks, so that the spoilt part is what is tested
		semantic.put("wallet_token", TestApi.json().stringNode(wallet));
		semantic.put("amount", TestApi.json().stringNode("1.00"));
		semantic.put("currency", TestApi.json().stringNode("EUR"));
		semantic.put("url", TestApi.json().stringNode("http://127.0.0.1:9/fuzz"));
		semantic.put("password", TestApi.json().stringNode(OPERATOR_PASSWORD));
		semantic.put("current_password", TestApi.json().stringNode(OPERATOR_PASSWORD));
		semantic.put("new_password", TestApi.json().stringNode(OPERATOR_PASSWORD));
		semantic.put("key", TestApi.json().stringNode(publishable.get("key").asString()));
		semantic.put("allowed_origins", TestApi.json().createArrayNode().add(ORIGIN));
		semantic.put("event_types", TestApi.json().createArrayNode().add("operation.accepted"));
		semantic.put("enabled", TestApi.json().booleanNode(false));
		semantic.put("expires_in", TestApi.json().stringNode("P1D"));
		document = api.get("/v3/api-docs").send().json();
	}

	@Test
	void everyOperationRefusesHostileInputWithAProblemAndChangesNothing() {
		List<Operation> operations = operations();
		assertThat(operations).hasSizeGreaterThan(30);
		Random random = new Random(SEED);
		List<String> failures = new ArrayList<>();
		Map<String, String> digest = digest();
		long started = System.nanoTime();
		for (int i = 0; i < TRIES && failures.size() < 20; i++) {
			// every operation in turn, then again: each gets about TRIES / operations tries
			Operation operation = operations.get(i % operations.size());
			List<Caller> callers = operation.callers();
			Caller caller = callers.get((i / operations.size()) % callers.size());
			Try attempt = spoil(operation, caller, random);
			Answer answer = send(attempt);
			String failure = answer.violation();
			if (failure == null && !declared(operation, answer.status())) {
				failure = "a " + answer.status() + " that the API document does not declare for the operation";
			}
			if (answer.status() < 300 && caller == Caller.OPERATOR && !"GET".equals(operation.method())) {
				renewOperatorToken();
			}
			Map<String, String> after = digest();
			if (failure == null && answer.status() >= 400 && answer.status() != 402 && !after.equals(digest)) {
				failure = "a refused request changed " + changed(digest, after);
			}
			if (failure != null) {
				failures.add(failure + "\n    " + attempt + "\n    -> " + answer);
			}
			digest = after;
		}
		System.out.printf("fuzz: %d tries over %d operations in %d ms (seed %d)%n", TRIES, operations.size(),
				(System.nanoTime() - started) / 1_000_000, SEED);
		assertThat(failures).as("seed " + SEED + ", rerun with -Dwalleye.fuzz.seed=" + SEED).isEmpty();
	}

	/** What the fuzz found, pinned: each was a 500, an empty body, or a change made and then answered 406. */
	@Test
	void whatTheFuzzFoundStaysFixed() {
		String customer = credentials.get(Caller.CUSTOMER);
		// a wildcard Content-Type reached no body reader: 500
		Answer wildcard = send(new Try("POST", "/api/v1/auth/login", Map.of("Content-Type", "*/*"),
				bytes("{\"username\":\"nobody\",\"password\":\"nothing-at-all\"}"), "pinned"));
		assertThat(wildcard.status()).as(wildcard.toString()).isEqualTo(415);
		assertThat(wildcard.violation()).isNull();
		// an Accept that does not parse: 406 (or 404, 400) with an empty body
		for (String accept : List.of("-1", "ünïcödé", "*/*;q=garbage", "\"")) {
			Answer answer = send(new Try("GET", "/api/v1/wallets", Map.of("Authorization", "Bearer " + customer,
					"Accept", accept), new byte[0], "pinned"));
			assertThat(answer.status()).as(accept + " " + answer).isEqualTo(400);
			assertThat(answer.violation()).as(answer.toString()).isNull();
			assertThat(TestApi.json().readTree(answer.body()).get("code").asString()).isEqualTo("invalid_header");
		}
		// a change whose answer the Accept rules out was made, then answered 406
		int wallets = api.get("/api/v1/wallets").bearer(customer).send().json().get("items").size();
		Map<String, String> before = digest();
		for (String accept : List.of("application/xml", "text/csv;q=0")) {
			Answer answer = send(new Try("POST", "/api/v1/wallets", Map.of("Authorization", "Bearer " + customer,
					"Accept", accept, "Content-Type", "application/json"), bytes("{\"currency\":\"EUR\"}"), "pinned"));
			assertThat(answer.status()).as(answer.toString()).isEqualTo(406);
			assertThat(answer.violation()).as(answer.toString()).isNull();
		}
		assertThat(api.get("/api/v1/wallets").bearer(customer).send().json().get("items").size()).isEqualTo(wallets);
		assertThat(changed(before, digest())).isEmpty();
	}

	// --- the operations ---------------------------------------------------------------------------------------------

	/** One documented operation: its parameters and the body its schema describes. */
	record Operation(String method, String path, List<JsonNode> parameters, List<String> mediaTypes,
			JsonNode schema, List<Caller> callers) {

		boolean hasBody() {
			return !mediaTypes.isEmpty();
		}

		@Override
		public String toString() {
			return method + " " + path;
		}
	}

	private List<Operation> operations() {
		List<Operation> operations = new ArrayList<>();
		JsonNode paths = document.get("paths");
		for (String path : paths.propertyNames()) {
			for (String method : paths.get(path).propertyNames()) {
				if (!List.of("get", "post", "put", "delete", "patch").contains(method)
						|| path.startsWith("/api/v1/test-")) {
					continue;
				}
				JsonNode operation = paths.get(path).get(method);
				List<JsonNode> parameters = new ArrayList<>();
				operation.path("parameters").forEach(parameters::add);
				List<String> mediaTypes = new ArrayList<>();
				JsonNode content = operation.path("requestBody").path("content");
				content.propertyNames().forEach(mediaTypes::add);
				JsonNode schema = mediaTypes.isEmpty() ? TestApi.json().nullNode()
						: content.get(mediaTypes.get(0)).has("example")
								? TestApi.json().createObjectNode().set("example",
										content.get(mediaTypes.get(0)).get("example"))
								: content.get(mediaTypes.get(0)).path("schema");
				String name = method.toUpperCase(Locale.ROOT) + " " + path;
				operations.add(new Operation(method.toUpperCase(Locale.ROOT), path, parameters, mediaTypes, schema,
						callers(name)));
			}
		}
		return operations;
	}

	/** The callers the authorisation matrix lets through; every kind when the matrix has no rule yet. */
	private static List<Caller> callers(String operation) {
		Rule rule = AuthorisationMatrixIntegrationTests.RULES.get(operation);
		if (rule == Rule.PUBLIC) {
			return List.of(Caller.ANONYMOUS);
		}
		List<Caller> allowed = new ArrayList<>();
		for (Caller caller : List.of(Caller.CUSTOMER, Caller.BUSINESS, Caller.APPLICATION, Caller.OPERATOR)) {
			if (rule == null || AuthorisationMatrixIntegrationTests.expected(rule, caller) == Expected.ALLOWED) {
				allowed.add(caller);
			}
		}
		return allowed;
	}

	// --- building a request and spoiling it -----------------------------------------------------------------------

	/** One request as sent, and what was spoilt in it. */
	record Try(String method, String pathAndQuery, Map<String, String> headers, byte[] body, String spoilt) {

		@Override
		public String toString() {
			String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
			return method + " " + (pathAndQuery.length() > 300 ? pathAndQuery.substring(0, 300) + "…" : pathAndQuery)
					+ " " + headers.entrySet().stream().filter(e -> !e.getKey().equals("Authorization")).toList()
					+ " body(" + body.length + " bytes)=" + text.replace("\n", " ") + " [" + spoilt + "]";
		}
	}

	private Try spoil(Operation operation, Caller caller, Random random) {
		Map<String, String> path = new LinkedHashMap<>();
		Map<String, String> query = new LinkedHashMap<>();
		Map<String, String> headers = new LinkedHashMap<>();
		for (JsonNode parameter : operation.parameters()) {
			String name = parameter.get("name").asString();
			if ("path".equals(parameter.get("in").asString())) {
				path.put(name, pathValue(operation.path(), name));
			}
		}
		String credential = credentials.get(caller);
		if (!credential.isEmpty()) {
			headers.put("Authorization", "Bearer " + credential);
		}
		JsonNode body = operation.hasBody() ? plausible(operation.schema(), "", 0) : null;
		String contentType = operation.hasBody() ? operation.mediaTypes().get(0) : null;
		byte[] bytes = body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
		if (semantic.containsKey("key") && body != null && body.has("key")) {
			headers.put("Origin", ORIGIN);
		}
		List<String> spoilt = new ArrayList<>();
		int spoils = random.nextInt(4) == 0 ? 2 : 1;
		for (int s = 0; s < spoils; s++) {
			int kind = random.nextInt(10);
			if (kind < 4 && body != null) {
				// a field's value, a missing, unknown or duplicated field
				String text = spoilField(body, random, spoilt);
				bytes = text.getBytes(StandardCharsets.UTF_8);
				if (random.nextInt(8) == 0) {
					bytes = invalidUtf8(text, random);
					spoilt.add("invalid UTF-8");
				}
			}
			else if (kind < 6 && (body != null || random.nextBoolean())) {
				Body whole = wholeBody(random);
				bytes = whole.bytes();
				spoilt.add("body: " + whole.what());
				if (contentType == null) {
					contentType = "application/json";
				}
			}
			else if (kind == 6) {
				contentType = pick(random, "text/plain", "application/xml", "application/x-www-form-urlencoded",
						"multipart/form-data; boundary=fuzz", "application/json; charset=ISO-8859-1",
						"application/json;;;", "*/*", "application/json-patch+json", "text/csv", "garbage",
						"application/problem+json", "");
				spoilt.add("content type " + contentType);
			}
			else if (kind == 7 && !path.isEmpty()) {
				String name = pick(random, path.keySet().toArray(String[]::new));
				path.put(name, pick(random, MALFORMED_PATH));
				spoilt.add("path " + name);
			}
			else if (kind == 8) {
				String name = operation.parameters().stream()
					.filter(parameter -> "query".equals(parameter.get("in").asString()))
					.map(parameter -> parameter.get("name").asString())
					.skip(random.nextInt(6))
					.findFirst()
					.orElse(pick(random, "cursor", "limit", "from", "unknown_parameter"));
				query.put(name, pick(random, MALFORMED_QUERY));
				spoilt.add("query " + name);
			}
			else {
				String name = pick(random, "Idempotency-Key", "Accept", "Accept-Charset", "If-None-Match", "Origin");
				headers.put(name, pick(random, "x".repeat(10_000), " ", "application/xml", "text/csv;q=0",
						"*/*;q=garbage", "ünïcödé", "\"", "null", "-1"));
				spoilt.add("header " + name);
			}
		}
		if (contentType != null && !contentType.isEmpty()) {
			headers.put("Content-Type", contentType);
		}
		String resolved = operation.path();
		for (Map.Entry<String, String> value : path.entrySet()) {
			resolved = resolved.replace("{" + value.getKey() + "}", value.getValue());
		}
		StringBuilder target = new StringBuilder(resolved);
		char separator = '?';
		for (Map.Entry<String, String> parameter : query.entrySet()) {
			target.append(separator).append(parameter.getKey()).append('=').append(parameter.getValue());
			separator = '&';
		}
		return new Try(operation.method(), target.toString(), headers, bytes, String.join(", ", spoilt));
	}

	private String pathValue(String template, String name) {
		if (name.equals("id")) {
			int id = template.indexOf("{id}");
			return pathValues.getOrDefault(template.substring(0, id + 4), UUID.randomUUID().toString());
		}
		return pathValues.getOrDefault(name, UUID.randomUUID().toString());
	}

	/** A value of the schema, or the fixture's value for a field whose name says what it needs. */
	private JsonNode plausible(JsonNode schema, String name, int depth) {
		if (semantic.containsKey(name)) {
			return semantic.get(name).deepCopy();
		}
		if (schema.has("example") && schema.get("example").isObject()) {
			ObjectNode example = (ObjectNode) schema.get("example").deepCopy();
			example.put("id", UUID.randomUUID().toString());
			return example;
		}
		if (schema.has("$ref")) {
			String ref = schema.get("$ref").asString();
			return plausible(document.at(ref.substring(1)), name, depth + 1);
		}
		if (schema.has("anyOf") || schema.has("oneOf")) {
			return plausible(schema.has("anyOf") ? schema.get("anyOf").get(0) : schema.get("oneOf").get(0), name,
					depth + 1);
		}
		String type = schema.path("type").asString("string");
		return switch (type) {
			case "object" -> {
				ObjectNode object = TestApi.json().createObjectNode();
				if (depth < 5) {
					for (String property : schema.path("properties").propertyNames()) {
						object.set(property, plausible(schema.get("properties").get(property), property, depth + 1));
					}
				}
				yield object;
			}
			case "array" -> TestApi.json().createArrayNode().add(plausible(schema.path("items"), "", depth + 1));
			case "integer", "number" -> TestApi.json().getNodeFactory().numberNode(1);
			case "boolean" -> TestApi.json().booleanNode(true);
			default -> TestApi.json().stringNode(schema.path("format").asString("").equals("uuid")
					? UUID.randomUUID().toString() : "fuzz-" + shortId());
		};
	}

	/** Values of the wrong type, size, precision or encoding, as JSON text. */
	private static final String[] HOSTILE_VALUES = { "1e400", "-1e400", "-0", "1E-7", "0.1", "-1", "0",
			"9223372036854775808", "-9223372036854775809", "99999999999999999999999999999999.99", "1" + "0".repeat(1200),
			"\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e400\"", "\"-0\"", "\"1E-7\"", "\"0x10\"", "\"1,00\"",
			"\"١٢\"", "\"\"", "\" \"", "\"" + "x".repeat(100_000) + "\"", "\"a\\u0000b\"", "\"\\ud800\"",
			"\"<script>alert(1)</script>\"", "\"' or 1=1 --\"", "\"%s%n\"", "null", "true", "[]", "{}", "[[[]]]",
			"{\"a\":{\"b\":1}}", "\"2026-02-30T25:61:00Z\"", "\"P99999999999D\"", "\"not-a-uuid\"",
			"\"00000000-0000-0000-0000-000000000000\"" };

	private static final String[] MALFORMED_PATH = { "not-a-uuid", "00000000-0000-0000-0000-00000000000g",
			"00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffffffff", "%00", "%FF%FE",
			"%C0%AF", "x".repeat(5_000), "%2e%2e", "NaN", "-1", "1e400", "%20", "wal_%00", "%E2%80%AE", "null" };

	private static final String[] MALFORMED_QUERY = { "-1", "0", "-0", "2147483648", "-2147483649",
			"99999999999999999999", "1e400", "1E-7", "1.5", "NaN", "Infinity", "%00", "%FF", "%C3%28", "",
			"x".repeat(10_000), "2026-13-45T25:61:00Z", "%2B999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
			"2026-01-01", "2026-01-01T00:00:00", "!!!", "eyJ4Ijox", "AAAA", "bm90IGEgY3Vyc29y", "eyJ0IjoiTmFOIn0",
			"not-a-uuid", "%E2%80%AE", "UNKNOWN", "a,b,,c", "%2C%2C%2C" };

	private String spoilField(JsonNode body, Random random, List<String> spoilt) {
		if (!body.isObject() || body.isEmpty()) {
			spoilt.add("value of body");
			return pick(random, HOSTILE_VALUES);
		}
		ObjectNode object = (ObjectNode) body.deepCopy();
		List<String> fields = new ArrayList<>(object.propertyNames());
		String field = fields.get(random.nextInt(fields.size()));
		// a nested object (an event's data, a source) is spoilt inside half of the time
		if (object.get(field).isObject() && !object.get(field).isEmpty() && random.nextBoolean()) {
			String inner = spoilField(object.get(field), random, spoilt);
			spoilt.set(spoilt.size() - 1, field + "." + spoilt.getLast());
			return replace(object, field, inner);
		}
		switch (random.nextInt(5)) {
			case 0 -> {
				object.remove(field);
				spoilt.add("missing " + field);
				return object.toString();
			}
			case 1 -> {
				spoilt.add("unknown field");
				String text = object.toString();
				return text.substring(0, text.length() - 1) + ",\"unexpected_field\":" + pick(random, HOSTILE_VALUES)
						+ "}";
			}
			case 2 -> {
				spoilt.add("duplicate " + field);
				String text = object.toString();
				return text.substring(0, text.length() - 1) + ",\"" + field + "\":" + pick(random, HOSTILE_VALUES)
						+ "}";
			}
			default -> {
				spoilt.add(field);
				return replace(object, field, pick(random, HOSTILE_VALUES));
			}
		}
	}

	private static String replace(ObjectNode object, String field, String valueText) {
		String marker = "\"__fuzz_" + UUID.randomUUID() + "__\"";
		ObjectNode copy = object.deepCopy();
		copy.put(field, "__fuzz_placeholder__");
		return copy.toString().replace("\"__fuzz_placeholder__\"", marker).replace(marker, valueText);
	}

	record Body(String what, byte[] bytes) {
	}

	private static Body wholeBody(Random random) {
		return switch (random.nextInt(14)) {
			case 0 -> new Body("empty", new byte[0]);
			case 1 -> new Body("JSON null", bytes("null"));
			case 2 -> new Body("array", bytes(pick(random, "[]", "[1,2]", "[{}]")));
			case 3 -> new Body("scalar", bytes(pick(random, "42", "\"text\"", "true", "1e400", "-0")));
			case 4 -> new Body("truncated", bytes(pick(random, "{", "{\"a\":", "{\"a\":\"b", "}{", "{\"a\" 1}", "{,}")));
			case 5 -> new Body("10,000 levels of arrays", bytes("[".repeat(10_000) + "]".repeat(10_000)));
			case 6 -> new Body("10,000 levels of objects",
					bytes("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
			case 7 -> new Body("raw bytes", new byte[] { (byte) 0xff, (byte) 0xfe, 0, 0x7b, (byte) 0xc3, 0x28 });
			case 8 -> new Body("byte order mark", bytes("\ufeff{}"));
			case 9 -> new Body("UTF-16", "{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_16));
			case 10 -> new Body("NUL byte", bytes("{\"a\":\"\u0000\"}\u0000"));
			case 11 -> {
				// past walleye.http.max-request-size (4 MB) and the Eye's 1 MiB
				byte[] big = new byte[(4 << 20) + 1024];
				java.util.Arrays.fill(big, (byte) ' ');
				big[0] = '[';
				big[big.length - 1] = ']';
				yield new Body("oversize (4 MB + 1 KB)", big);
			}
			case 12 -> new Body("a 100,000-key object",
					bytes("{" + String.join(",", Stream.iterate(0, n -> n + 1).limit(100_000)
						.map(n -> "\"k" + n + "\":" + n).toList()) + "}"));
			default -> new Body("form data", bytes("a=1&b=%00&c=" + "x".repeat(1000)));
		};
	}

	private static byte[] invalidUtf8(String text, Random random) {
		byte[] bytes = bytes(text);
		int at = text.indexOf('"', text.indexOf(':'));
		if (at < 0) {
			return bytes;
		}
		byte[] bad = switch (random.nextInt(4)) {
			case 0 -> new byte[] { (byte) 0xc3, 0x28 };
			case 1 -> new byte[] { (byte) 0xff };
			case 2 -> new byte[] { (byte) 0xed, (byte) 0xa0, (byte) 0x80 }; // an encoded surrogate
			default -> new byte[] { (byte) 0xc0, (byte) 0xaf }; // an overlong '/'
		};
		byte[] spoilt = new byte[bytes.length + bad.length];
		int cut = bytes(text.substring(0, at + 1)).length;
		System.arraycopy(bytes, 0, spoilt, 0, cut);
		System.arraycopy(bad, 0, spoilt, cut, bad.length);
		System.arraycopy(bytes, cut, spoilt, cut + bad.length, bytes.length - cut);
		return spoilt;
	}

	// --- sending and judging ------------------------------------------------------------------------------------------

	/** What came back, and which property it breaks, if any. */
	record Answer(int status, String contentType, String body) {

		String violation() {
			if (status == CLOSED_ON_OVERSIZE) {
				return null;
			}
			if (status >= 500 || status == 0) {
				return status == 0 ? "no answer: " + body : "a server error";
			}
			if (status >= 400) {
				if (!contentType.startsWith("application/problem+json")) {
					return "a " + status + " that is not problem+json";
				}
				try {
					JsonNode problem = TestApi.json().readTree(body);
					if (problem.path("code").asString("").isBlank()) {
						return "a problem without a code";
					}
				}
				catch (RuntimeException ex) {
					return "a problem that is not JSON";
				}
			}
			return null;
		}

		@Override
		public String toString() {
			return status + " " + contentType + " " + (body.length() > 400 ? body.substring(0, 400) + "…" : body);
		}
	}

	private Answer send(Try attempt) {
		HttpRequest.Builder request;
		try {
			request = HttpRequest.newBuilder(URI.create(api.baseUrl() + attempt.pathAndQuery()));
		}
		catch (IllegalArgumentException notAUri) {
			// a path the client cannot even write down does not reach the server: encode it
			request = HttpRequest
				.newBuilder(URI.create(api.baseUrl() + URLEncoder.encode(attempt.pathAndQuery(), StandardCharsets.UTF_8)
					.replace("%2F", "/").replace("%3F", "?").replace("%3D", "=").replace("%26", "&")));
		}
		request.timeout(Duration.ofSeconds(30))
			.method(attempt.method(), attempt.body().length == 0 && !attempt.headers().containsKey("Content-Type")
					? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(attempt.body()));
		attempt.headers().forEach(request::header);
		for (int tries = 0;; tries++) {
			try {
				HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
				// the Eye's browser intake allows few requests a second per address: wait as told, like a client
				if (response.statusCode() == 429 && tries < 5) {
					Thread.sleep(1_000L * response.headers().firstValueAsLong("Retry-After").orElse(1));
					continue;
				}
				return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
						response.body());
			}
			catch (HttpTimeoutException ex) {
				return new Answer(0, "", "no answer within 30 s");
			}
			catch (IOException ex) {
				// the server may answer 413 and close before an oversize body is sent whole; the client then sees
				// the connection closed instead of the answer
				return attempt.body().length > 1 << 20 ? new Answer(CLOSED_ON_OVERSIZE, "", ex.toString())
						: new Answer(0, "", "connection failed: " + ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/** Row count and row versions of every table the API writes: any insert, update or delete changes it. */
	private Map<String, String> digest() {
		JdbcClient jdbc = JdbcClient.create(dataSource);
		List<String> tables = jdbc.sql("""
				select table_name from information_schema.tables
				 where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name
				""").query(String.class).list();
		List<String> selects = tables.stream()
			.filter(table -> NOT_DIGESTED.stream().noneMatch(table::startsWith))
			.map(table -> "select '" + table + "', count(*) || '/' || "
					+ (COUNTED_ONLY.contains(table) ? "0" : "coalesce(sum(xmin::text::bigint), 0)") + " from " + table)
			.toList();
		Map<String, String> digest = new LinkedHashMap<>();
		jdbc.sql(String.join(" union all ", selects)).query(rs -> {
			digest.put(rs.getString(1), rs.getString(2));
		});
		return digest;
	}

	private static String changed(Map<String, String> before, Map<String, String> after) {
		List<String> tables = new ArrayList<>();
		for (Iterator<String> names = after.keySet().iterator(); names.hasNext();) {
			String table = names.next();
			if (!Objects.equals(before.get(table), after.get(table))) {
				tables.add(table + " " + before.get(table) + " -> " + after.get(table));
			}
		}
		return String.join(", ", tables);
	}

	/**
	 * After an operator's request that succeeded: a fuzzed logout revoked the token, or a fuzzed password change
	 * happened to be valid, or fuzzed sign-ins locked the username. Then the fuzz goes on as a fresh operator.
	 */
	/**
	 * Whether the API document declares the status for the operation: a client generated from it must know every
	 * answer it can get. (The connection closed on an oversize body is no answer.)
	 */
	private boolean declared(Operation operation, int status) {
		JsonNode responses = document.path("paths").path(operation.path())
			.path(operation.method().toLowerCase(Locale.ROOT)).path("responses");
		return status == CLOSED_ON_OVERSIZE || responses.has(Integer.toString(status)) || responses.has("default");
	}

	private void renewOperatorToken() {
		Response me = api.get("/api/v1/auth/me").bearer(credentials.get(Caller.OPERATOR)).sendUnchecked();
		if (me.status() == 401) {
			credentials.put(Caller.OPERATOR, newOperator());
		}
	}

	/** The fuzz signs in as operators of its own: a password change that happens to be valid spoils no other test. */
	private String newOperator() {
		String username = "fuzz-" + shortId();
		api.post("/api/v1/operators", Map.of("username", username, "password", OPERATOR_PASSWORD)).asAdmin().send();
		semantic.put("username", TestApi.json().stringNode(username));
		return login(username);
	}

	// --- fixtures -------------------------------------------------------------------------------------------------

	private String register(String kind) {
		Response response = api
			.post("/api/v1/" + kind, Map.of("name", "fuzz", "email", UUID.randomUUID() + "@example.test"))
			.send();
		assertThat(response.status()).isEqualTo(201);
		return response.json().get("api_key").asString();
	}

	private String login(String username) {
		Response response = api.post("/api/v1/auth/login", Map.of("username", username, "password", OPERATOR_PASSWORD))
			.send();
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().get("access_token").asString();
	}

	@SafeVarargs
	private static <T> T pick(Random random, T... values) {
		return values[random.nextInt(values.length)];
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String shortId() {
		return UUID.randomUUID().toString().substring(0, 8);
	}
}
