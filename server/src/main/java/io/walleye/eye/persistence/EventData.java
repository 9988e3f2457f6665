package io.walleye.eye.persistence;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Reads event data (and schemas) into trees that keep every number as sent: the data is the customer's, and a
 * {@code double} would turn {@code 12345678.123456789} into {@code 1.234567812345679E7} and {@code 1E-400} into 0.
 * A mapper of its own, so that the rest of the application keeps the shared mapper's settings.
 */
@Component
public class EventData {

	private final JsonMapper json;

	EventData(JsonMapper json) {
		this.json = json.rebuild()
			.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
			.build();
	}

	public JsonNode read(String text) {
		return json.readTree(text);
	}

	public String write(Object value) {
		return json.writeValueAsString(value);
	}
}
