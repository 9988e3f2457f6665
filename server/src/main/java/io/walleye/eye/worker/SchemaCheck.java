package io.walleye.eye.worker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;

/** JSON Schema draft 2020-12 (networknt json-schema-validator): compiling schemas and checking that a schema is one. */
public final class SchemaCheck {

	/** A Java exception's class name at the head of a message ("java.io.FileNotFoundException: "). */
	private static final Pattern EXCEPTION_NAME = Pattern
		.compile("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error):?\\s*");

	/**
	 * Never fetches a {@code $ref} from a URL or a file: a schema is written by an operator, but a fetch would make the
	 * worker an HTTP client (or a file reader) of whatever the schema names. Meta-schemas come from the jar.
	 */
	private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
			registry -> registry.schemaLoader(loader -> loader.fetchRemoteResources(false)));

	private static final Schema META_SCHEMA = REGISTRY
		.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));

	private SchemaCheck() {
	}

	/** Why the document is not a usable schema; empty when it is. */
	public static List<String> problemsOf(JsonNode schema) {
		if (!schema.isObject() && !schema.isBoolean()) {
			return List.of("a schema must be a JSON object (or true/false)");
		}
		List<String> problems = messages(META_SCHEMA.validate(schema));
		if (!problems.isEmpty()) {
			return problems;
		}
		try {
			REGISTRY.getSchema(schema).initializeValidators();
			return List.of();
		}
		catch (RuntimeException ex) {
			return List.of(describe(schema, ex));
		}
	}

	/**
	 * What is wrong in the schema, in the schema's terms: the validator reports a bad {@code pattern} or a
	 * {@code $ref} it cannot load as the Java exception it caught, which tells an operator nothing.
	 */
	static String describe(JsonNode schema, RuntimeException failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof PatternSyntaxException bad) {
				return "pattern '" + bad.getPattern() + "' is not a valid regular expression (" + bad.getDescription()
						+ ")";
			}
			if (cause instanceof IOException) {
				List<String> external = new ArrayList<>();
				externalRefs(schema, external);
				return external.isEmpty() ? "a $ref cannot be resolved"
						: "$ref " + String.join(", ", external.stream().map(ref -> "'" + ref + "'").toList())
								+ " cannot be resolved; refer to definitions inside the schema (\"#/$defs/…\")";
			}
		}
		String message = failure.getMessage() == null ? "" : EXCEPTION_NAME.matcher(failure.getMessage()).replaceAll("");
		return message.isBlank() ? "the schema cannot be compiled" : message;
	}

	private static void externalRefs(JsonNode node, List<String> refs) {
		if (node.isObject()) {
			JsonNode ref = node.get("$ref");
			if (ref != null && ref.isString() && !ref.asString().startsWith("#")) {
				refs.add(ref.asString());
			}
		}
		node.forEach(child -> externalRefs(child, refs));
	}

	public static Schema compile(JsonNode schema) {
		return REGISTRY.getSchema(schema);
	}

	public static List<String> messages(List<Error> errors) {
		return errors.stream().map(SchemaCheck::message).toList();
	}

	/** "/form/first_name: integer found, string expected"; the location is left out at the root of the data. */
	private static String message(Error error) {
		String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
		String message = error.getMessage();
		return location.isEmpty() || location.equals("$") || location.equals("/") ? message : location + ": " + message;
	}
}
