package io.walleye.wallet.web;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.identity.PrincipalType;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.PublicEndpoint;
import io.walleye.platform.Role;
import io.walleye.wallet.Registered;
import io.walleye.wallet.Registrations;

/** Open registration of customers and businesses; the answer carries the API key, shown only once. */
@RestController
@ConditionalOnRole(Role.API)
@Tag(name = "Registration", description = "Customers and businesses sign up and get an API key")
class RegistrationController {

	private final Registrations registrations;

	RegistrationController(Registrations registrations) {
		this.registrations = registrations;
	}

	record RegisterRequest(@Nullable String name, @Nullable String email) {
	}

	@PostMapping("/api/v1/customers")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Register a customer; 409 when the email is taken")
	@ApiResponse(responseCode = "201", description = "Registered; the API key is in this response only")
	@ApiResponse(responseCode = "409", description = "The email is taken")
	Registered customer(@RequestBody RegisterRequest request) {
		return registrations.register(PrincipalType.CUSTOMER, request.name(), request.email());
	}

	@PostMapping("/api/v1/businesses")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Register a business; 409 when the email is taken")
	@ApiResponse(responseCode = "201", description = "Registered; the API key is in this response only")
	@ApiResponse(responseCode = "409", description = "The email is taken")
	Registered business(@RequestBody RegisterRequest request) {
		return registrations.register(PrincipalType.BUSINESS, request.name(), request.email());
	}

	@Configuration(proxyBeanMethods = false)
	static class OpenEndpoints {

		@Bean
		PublicEndpoint customerRegistration() {
			return new PublicEndpoint(HttpMethod.POST, "/api/v1/customers");
		}

		@Bean
		PublicEndpoint businessRegistration() {
			return new PublicEndpoint(HttpMethod.POST, "/api/v1/businesses");
		}
	}
}
