package io.walleye.platform.web;

import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Java names (parameters, bean-validation property paths) as a client writes them, through the naming strategy the
 * API's JSON uses ({@code spring.jackson.property-naming-strategy}), so a problem names {@code session_id}, never
 * {@code sessionId}.
 */
@Component
class JsonNames {

	private final DeserializationConfig config;

	JsonNames(JsonMapper json) {
		this.config = json.deserializationConfig();
	}

	String of(String javaName) {
		PropertyNamingStrategy strategy = config.getPropertyNamingStrategy();
		return strategy == null ? javaName : strategy.nameForField(config, null, javaName);
	}

	/** A dotted property path with indexes, e.g. {@code items[0].sessionId} → {@code items[0].session_id}. */
	String ofPath(String path) {
		StringBuilder named = new StringBuilder();
		for (String segment : path.split("\\.", -1)) {
			if (!named.isEmpty()) {
				named.append('.');
			}
			int index = segment.indexOf('[');
			String name = index < 0 ? segment : segment.substring(0, index);
			named.append(name.isEmpty() ? name : of(name)).append(index < 0 ? "" : segment.substring(index));
		}
		return named.toString();
	}
}
