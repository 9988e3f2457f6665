package io.walleye.wallet;

import java.math.BigDecimal;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

import com.fasterxml.jackson.annotation.JsonValue;

import io.swagger.v3.oas.annotations.media.Schema;
import io.walleye.platform.FieldError;
import io.walleye.wallet.domain.Money;

/**
 * An amount as the client sent it, a JSON string or number kept as its text: its length is checked before it becomes
 * a number, so no input can make the server build a huge one (or answer that the body is not JSON).
 */
@JsonDeserialize(using = Amount.Reader.class)
// the platform's OpenAPI component for a decimal sent as a string or an exact number
@Schema(ref = "#/components/schemas/Decimal")
public record Amount(@JsonValue String text) {

	/** The decimal, or 400 {@code validation_failed} on {@code amount} when the text is too long or not a number. */
	public BigDecimal decimal() {
		try {
			return Money.read(text);
		}
		catch (Money.InvalidAmount ex) {
			throw Checks.validation(List.of(FieldError.of("amount", ex.getMessage())));
		}
	}

	/** The decimal of an amount that may be absent. */
	public static @Nullable BigDecimal decimalOf(@Nullable Amount amount) {
		return amount == null ? null : amount.decimal();
	}

	/** Takes the token's text, string or number alike, without converting it. */
	static final class Reader extends ValueDeserializer<Amount> {

		@Override
		public Amount deserialize(JsonParser parser, DeserializationContext context) {
			JsonToken token = parser.currentToken();
			if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT
					|| token == JsonToken.VALUE_NUMBER_FLOAT) {
				return new Amount(parser.getString());
			}
			return (Amount) context.handleUnexpectedToken(Amount.class, parser);
		}
	}
}
