package io.walleye.platform.web;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;

/**
 * Every JSON text a request body binds to a {@code String}: PostgreSQL's text types cannot hold NUL (U+0000), so a
 * NUL would otherwise surface as a constraint error at the database. Refused here, the problem names the field.
 */
final class NulRefusingStringDeserializer extends StringDeserializer {

	static final String MESSAGE = "must not contain the NUL character (U+0000)";

	@Override
	public @Nullable String deserialize(JsonParser parser, DeserializationContext context) {
		String value = super.deserialize(parser, context);
		if (value != null && value.indexOf('\u0000') >= 0) {
			throw InvalidFormatException.from(parser, MESSAGE, value, String.class);
		}
		return value;
	}
}
