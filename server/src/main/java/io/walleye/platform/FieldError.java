package io.walleye.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/** One entry of a problem's {@code errors} list: which field (and, in a batch, which item) and what is wrong. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(@Nullable Integer index, String field, String message) {

	public static FieldError of(String field, String message) {
		return new FieldError(null, field, message);
	}
}
