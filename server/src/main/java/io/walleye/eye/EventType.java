package io.walleye.eye;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/** The JSON Schema (draft 2020-12) that events of one category + name must satisfy. */
public record EventType(String category, String name, JsonNode schema, Instant createdAt, Instant updatedAt) {
}
