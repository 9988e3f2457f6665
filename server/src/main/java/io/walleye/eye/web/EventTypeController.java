package io.walleye.eye.web;

import java.util.List;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.eye.EventType;
import io.walleye.eye.EventTypeChange;
import io.walleye.eye.Eye;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.FieldError;
import io.walleye.platform.Role;

/** Operators register the JSON Schema (draft 2020-12) each category + name of event must satisfy. */
@RestController
@RequestMapping("/api/v1/event-types")
@ConditionalOnRole(Role.API)
@PreAuthorize("hasRole('OPERATOR')")
@Tag(name = "Event types", description = "JSON Schemas of The Eye's event types")
class EventTypeController {

	private final Eye eye;

	EventTypeController(Eye eye) {
		this.eye = eye;
	}

	@GetMapping
	@Operation(summary = "Every registered event type with its schema")
	List<EventType> list() {
		return eye.eventTypes();
	}

	@GetMapping("/{category}/{name}")
	@Operation(summary = "One event type")
	EventType get(@PathVariable String category, @PathVariable String name) {
		return eye.eventType(category, name).orElseThrow(() -> notFound(category, name));
	}

	@PutMapping("/{category}/{name}")
	@Operation(summary = "Create or replace the type's schema (the body); 422 when the body is not a valid schema")
	@ApiResponse(responseCode = "200", description = "Replaced")
	@ApiResponse(responseCode = "201", description = "Created")
	@ApiResponse(responseCode = "422", description = "invalid_schema: the body is not a valid JSON Schema (draft 2020-12)")
	ResponseEntity<EventType> put(@PathVariable String category, @PathVariable String name,
			@RequestBody JsonNode schema) {
		if (category.isBlank() || category.length() > 255 || name.isBlank() || name.length() > 255) {
			throw Eye.invalid("category", "and name must be 1 to 255 characters");
		}
		return switch (eye.putEventType(category, name, schema)) {
			case EventTypeChange.Saved saved ->
				ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK).body(saved.type());
			case EventTypeChange.Refused refused -> throw ApiException
				.unprocessable("invalid_schema", "The body is not a valid JSON Schema (draft 2020-12): "
						+ refused.problems().getFirst())
				.with("errors", refused.problems().stream().map(problem -> FieldError.of("schema", problem)).toList());
		};
	}

	@DeleteMapping("/{category}/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Remove a type; its events are then handled by the unknown-type policy")
	void delete(@PathVariable String category, @PathVariable String name) {
		if (!eye.deleteEventType(category, name)) {
			throw notFound(category, name);
		}
	}

	private static ApiException notFound(String category, String name) {
		return ApiException.notFound("event_type_not_found",
				"No event type is registered for category '" + category + "' and name '" + name + "'");
	}
}
