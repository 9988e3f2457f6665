package io.walleye.platform.web;

import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document: bearer authentication and, on every operation, the problem+json error responses that the one
 * error handler can produce, so clients see the error contract next to each endpoint.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	private static final Map<String, String> COMMON_ERRORS = Map.of("400",
			"Malformed JSON, unknown or invalid fields (errors lists them)", "401", "Missing or invalid bearer token",
			"403", "Not allowed for this caller", "404", "Not found", "406", "Not acceptable", "413",
			"Request body larger than walleye.http.max-request-size (4 MB)", "415",
			"Unsupported media type", "429", "Too many requests", "500", "Unexpected error (carries request_id)");

	@Bean
	OpenAPI walleyeOpenApi() {
		Schema<?> fieldError = new ObjectSchema().addProperty("index", new IntegerSchema())
			.addProperty("field", new StringSchema())
			.addProperty("message", new StringSchema());
		Schema<?> problem = new ObjectSchema().description("RFC 9457 problem details")
			.addProperty("type", new StringSchema().format("uri"))
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema())
			.addProperty("detail", new StringSchema())
			.addProperty("code", new StringSchema())
			.addProperty("request_id", new StringSchema())
			.addProperty("errors", new ArraySchema().items(fieldError));
		return new OpenAPI()
			.info(new Info().title("Walleye API")
				.version("v1")
				.description("Wallets and payments, The Eye (event collection) and the GitHub ETL."))
			.components(new Components().addSchemas("Problem", problem)
				.addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
			.addSecurityItem(new SecurityRequirement().addList("bearer"));
	}

	@Bean
	OpenApiCustomizer documentProblemResponses() {
		return openApi -> openApi.getPaths()
			.values()
			.forEach(path -> path.readOperations().forEach(operation -> COMMON_ERRORS.forEach((status, text) -> {
				if (operation.getResponses().get(status) == null) {
					operation.getResponses()
						.addApiResponse(status, new ApiResponse().description(text)
							.content(new Content().addMediaType("application/problem+json",
									new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")))));
				}
			})));
	}
}
