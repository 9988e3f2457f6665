package io.walleye.eye.worker;

import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;

/** JSON Schema draft 2020-12 (networknt json-schema-validator): compiling schemas and checking that a schema is one. */
public final class SchemaCheck {

	private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

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
		catch (SchemaException | IllegalArgumentException ex) {
			return List.of(String.valueOf(ex.getMessage()));
		}
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
