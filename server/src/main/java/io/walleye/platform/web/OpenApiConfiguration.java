package io.walleye.platform.web;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.jackson.TypeNameResolver;
import io.swagger.v3.core.util.Json;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

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
			"Unsupported media type", "429", "Too many requests", "500", "Unexpected error (carries request_id)",
			"503", "database_unavailable or database_timeout: the database did not answer within its deadline; "
					+ "retry after Retry-After seconds. Charges and holds may also answer charge_not_confirmed or "
					+ "hold_not_confirmed: the command may have been applied; look in the history or retry with the "
					+ "same Idempotency-Key");

	/**
	 * The component a decimal the client sends refers to (wallet amounts: {@code @Schema(ref = ...)}): a string or an
	 * exact JSON number, as the server reads both.
	 */
	static final String DECIMAL_SCHEMA = "Decimal";

	private static Schema<?> decimal() {
		return new Schema<>().description("A decimal amount, as a string (\"12.50\") or an exact JSON number")
			.anyOf(List.of(new StringSchema().example("12.50"), new NumberSchema()));
	}

	static {
		// Amounts are sent as decimal strings ("12.50"); a JSON number is accepted too and read from its text, never
		// through a double. Answers carry amounts as strings (their records hold String).
		SpringDocUtils.getConfig()
			.replaceWithSchema(BigDecimal.class, decimal());
		// Free JSON (event data, raw events, schemas) is Jackson 3's tree, which springdoc's Jackson 2 resolver
		// would describe as a bean with getters.
		Schema<?> anyJson = new Schema<>().description("Any JSON value");
		SpringDocUtils.getConfig()
			.replaceWithSchema(tools.jackson.databind.JsonNode.class, anyJson)
			.replaceWithSchema(tools.jackson.databind.node.ObjectNode.class, new ObjectSchema())
			.replaceWithSchema(tools.jackson.databind.node.ArrayNode.class, new ArraySchema().items(anyJson));
	}

	/**
	 * springdoc describes models with its own (Jackson 2) mapper, which knows nothing of the snake_case the server
	 * writes (spring.jackson.property-naming-strategy); without this every documented field name would be wrong.
	 */
	@Bean
	ModelResolver snakeCaseModelResolver() {
		return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE),
				new DistinctNames(walleyeRecords()));
	}

	/**
	 * Schema names as swagger-core makes them, except that records sharing a simple name are told apart by the class
	 * they are declared in ({@code ApplicationController.CreatedResponse} → {@code ApplicationCreatedResponse}):
	 * springdoc keys schemas by name, so two {@code CreatedResponse}s would become one, and the document would
	 * describe one answer with the other's fields.
	 */
	static final class DistinctNames extends TypeNameResolver {

		private final java.util.Set<Class<?>> shared = new java.util.HashSet<>();

		DistinctNames(List<Class<?>> records) {
			Map<String, List<Class<?>>> bySimpleName = new java.util.HashMap<>();
			for (Class<?> type : records) {
				bySimpleName.computeIfAbsent(type.getSimpleName(), name -> new java.util.ArrayList<>()).add(type);
			}
			bySimpleName.values().stream().filter(types -> types.size() > 1).forEach(shared::addAll);
		}

		@Override
		protected String getNameOfClass(Class<?> cls) {
			String name = super.getNameOfClass(cls);
			return shared.contains(cls) ? qualifier(cls) + name : name;
		}

		static String qualifier(Class<?> cls) {
			Class<?> enclosing = cls.getEnclosingClass();
			if (enclosing != null) {
				return enclosing.getSimpleName().replaceFirst("Controller$", "");
			}
			String pkg = cls.getPackageName();
			String last = pkg.substring(pkg.lastIndexOf('.') + 1);
			return Character.toUpperCase(last.charAt(0)) + last.substring(1);
		}
	}

	/**
	 * A record component marked {@code @Nullable} (JSpecify) may be sent as {@code null}; springdoc 3.1 does not read
	 * that annotation, so the document would claim the field is always present.
	 */
	@Bean
	OpenApiCustomizer documentNullableFields() {
		List<Class<?>> records = walleyeRecords();
		DistinctNames names = new DistinctNames(records);
		return openApi -> {
			if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
				return;
			}
			openApi.getComponents().getSchemas().forEach((name, schema) -> {
				if (schema.getProperties() == null) {
					return;
				}
				Class<?> type = recordOf(name, schema.getProperties().keySet(), records, names);
				if (type == null) {
					return;
				}
				for (RecordComponent component : type.getRecordComponents()) {
					if (!component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
						continue;
					}
					String property = jsonName(component);
					Schema<?> declared = (Schema<?>) schema.getProperties().get(property);
					if (declared == null) {
						continue;
					}
					if (declared.get$ref() != null) {
						// OpenAPI 3.0 ignores siblings of $ref, and a validator applies allOf to null too: the
						// reference or null
						Schema<Object> onlyNull = new Schema<>().nullable(true).type("string");
						onlyNull.addEnumItemObject(null);
						schema.getProperties().put(property, new Schema<>().anyOf(List.of(declared, onlyNull)));
					}
					else {
						declared.setNullable(true);
					}
				}
			});
		};
	}

	/**
	 * The record a schema was made from: its name is the record's simple name (or {@code @Schema(name)}), followed by
	 * type arguments for a generic one ({@code Page} → {@code PageOperationView}), and its properties are the record's.
	 */
	private static @Nullable Class<?> recordOf(String schemaName, java.util.Set<String> properties,
			List<Class<?>> records, DistinctNames names) {
		for (Class<?> type : records) {
			io.swagger.v3.oas.annotations.media.Schema named = type
				.getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
			String name = named != null && !named.name().isEmpty() ? named.name() : names.getNameOfClass(type);
			if (!schemaName.startsWith(name)) {
				continue;
			}
			java.util.Set<String> components = new java.util.HashSet<>();
			for (RecordComponent component : type.getRecordComponents()) {
				components.add(jsonName(component));
			}
			if (components.equals(properties)) {
				return type;
			}
		}
		return null;
	}

	private static String jsonName(RecordComponent component) {
		JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
		if (renamed == null) {
			renamed = component.getAnnotation(JsonProperty.class);
		}
		if (renamed != null && !renamed.value().isEmpty()) {
			return renamed.value();
		}
		return PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(component.getName());
	}

	private static List<Class<?>> walleyeRecords() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(
				(reader, factory) -> "java.lang.Record".equals(reader.getClassMetadata().getSuperClassName()));
		List<Class<?>> records = new java.util.ArrayList<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents("io.walleye")) {
			String className = candidate.getBeanClassName();
			if (className != null) {
				Class<?> type = ClassUtils.resolveClassName(className, OpenApiConfiguration.class.getClassLoader());
				records.add(type);
			}
		}
		return records;
	}

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
			.addProperty("errors", new ArraySchema().items(fieldError))
			// RFC 9457 extension members: a 402 carries the rejected operation, a 409 the original operation_id
			.additionalProperties(true);
		return new OpenAPI()
			.info(new Info().title("Walleye API")
				.version("v1")
				.description("Wallets and payments, The Eye (event collection) and the GitHub ETL."))
			.components(new Components().addSchemas("Problem", problem)
				.addSchemas(DECIMAL_SCHEMA, decimal())
				.addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
			.addSecurityItem(new SecurityRequirement().addList("bearer"));
	}

	/** Every GET takes {@code ?format=json} (FormatParameterInterceptor); those that offer more declare it themselves. */
	@Bean
	OpenApiCustomizer documentFormatParameter() {
		return openApi -> openApi.getPaths().values().forEach(path -> {
			io.swagger.v3.oas.models.Operation get = path.getGet();
			if (get == null || get.getParameters() != null && get.getParameters()
				.stream()
				.anyMatch(parameter -> FormatParameterInterceptor.PARAMETER.equals(parameter.getName()))) {
				return;
			}
			get.addParametersItem(new io.swagger.v3.oas.models.parameters.QueryParameter()
				.name(FormatParameterInterceptor.PARAMETER)
				.description("json, the only representation here (any other value: 406)")
				.schema(new StringSchema()._enum(List.of("json"))));
		});
	}

	@Bean
	OpenApiCustomizer documentProblemResponses() {
		return openApi -> openApi.getPaths()
			.values()
			.forEach(path -> path.readOperations().forEach(operation -> {
				COMMON_ERRORS.forEach((status, text) -> {
					if (operation.getResponses().get(status) == null) {
						operation.getResponses().addApiResponse(status, new ApiResponse().description(text));
					}
				});
				if (operation.getRequestBody() != null && operation.getResponses().get("413") == null) {
					operation.getResponses()
						.addApiResponse("413", new ApiResponse().description("The body is larger than the limit"));
				}
				// every error is a problem+json (the one error handler), whatever springdoc guessed from the
				// method's return type for an error declared by status and description
				operation.getResponses().forEach((status, response) -> {
					if (status.charAt(0) >= '4' && (response.getContent() == null
							|| response.getContent().get("application/problem+json") == null)) {
						response.content(new Content().addMediaType("application/problem+json",
								new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
					}
				});
			}));
	}
}
