package io.walleye.eye.intake;

import java.util.List;

import org.springframework.http.HttpStatus;

import io.walleye.platform.ApiException;
import io.walleye.platform.FieldError;

/**
 * The one answer for events that cannot be taken, whether the request's checks or the intake's commit found them: a
 * request is all or nothing, so the client fixes the listed items and sends it again.
 */
public final class InvalidEvents {

	private InvalidEvents() {
	}

	public static ApiException of(List<FieldError> errors) {
		return new ApiException(HttpStatus.BAD_REQUEST, "invalid_events", "Invalid events",
				"Nothing of this request was stored; fix the events listed in errors and send it again")
			.with("errors", errors);
	}
}
