package io.walleye.console.overview;

import io.swagger.v3.oas.annotations.Hidden;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;

/**
 * The overview page's data, polled by its script. Behind the console's session (not the API's bearer tokens), and
 * failures answer as problem+json like the API.
 */
@RestController
@Hidden
@ConditionalOnRole(Role.CONSOLE)
class OverviewApi {

	private final Overview overview;

	OverviewApi(Overview overview) {
		this.overview = overview;
	}

	@GetMapping("/console/api/overview")
	ResponseEntity<Overview.View> overview() {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(overview.current());
	}
}
