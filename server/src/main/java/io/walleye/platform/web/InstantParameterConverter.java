package io.walleye.platform.web;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.converter.Converter;

import io.walleye.platform.InstantRange;

/**
 * Reads every {@link Instant} query or path parameter: ISO-8601 with {@code Z} or an offset, within
 * {@link InstantRange}. Registered after Spring's own formatters, so it also replaces the {@code @DateTimeFormat} ones
 * and one rule holds for every endpoint.
 */
final class InstantParameterConverter implements Converter<String, Instant> {

	/**
	 * Blank stays absent, as with Spring's own formatters ({@code ?from=} means no lower bound). Spring's contract allows
	 * a converter to answer null, though {@code Converter} does not declare it.
	 */
	@Override
	@SuppressWarnings("NullAway")
	public @Nullable Instant convert(String text) {
		if (text.isBlank()) {
			return null;
		}
		Instant instant = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text.strip(), Instant::from);
		if (!InstantRange.contains(instant)) {
			throw new OutOfRange();
		}
		return instant;
	}

	/** Carries the accepted range to the problem handler, which names the parameter. */
	static final class OutOfRange extends IllegalArgumentException {

		OutOfRange() {
			super(InstantRange.REQUIREMENT);
		}
	}
}
