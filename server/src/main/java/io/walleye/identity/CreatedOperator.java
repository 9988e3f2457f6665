package io.walleye.identity;

import org.jspecify.annotations.Nullable;

/** A new operator; {@code generatedPassword} is set when Walleye chose the password, and exists only in this answer. */
public record CreatedOperator(OperatorView operator, @Nullable String generatedPassword) {
}
