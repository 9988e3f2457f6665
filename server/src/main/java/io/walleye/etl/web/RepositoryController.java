package io.walleye.etl.web;


import org.jspecify.annotations.Nullable;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.etl.Etl;
import io.walleye.etl.RepositoryView;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.Role;

/** The repositories ETL runs loaded: list with filters, one with its star history, the count, statistics. */
@RestController
@RequestMapping("/api/v1/repositories")
@ConditionalOnRole(Role.API)
@PreAuthorize("hasRole('OPERATOR')")
@Tag(name = "Repositories", description = "GitHub repositories loaded by the ETL")
class RepositoryController {

	private final Etl etl;

	RepositoryController(Etl etl) {
		this.etl = etl;
	}

	@GetMapping
	@Operation(summary = "Repositories by stars (default) or updated, with filters; cursor pagination")
	Page<RepositoryView> list(@RequestParam(required = false) @Nullable String language,
			@RequestParam(required = false) @Nullable String owner,
			@RequestParam(name = "min_stars", required = false) @Nullable Integer minStars,
			@RequestParam(required = false) @Nullable String q,
			@RequestParam(required = false, defaultValue = "stars") String sort,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return etl.repositories(new RepositoryView.Filter(blankToNull(language), blankToNull(owner), minStars,
				blankToNull(q), sort), PageRequest.of(limit, cursor));
	}

	record CountResponse(String table, long count) {
	}

	@GetMapping("/count")
	@Operation(summary = "Number of rows in github_repositories")
	CountResponse count() {
		return new CountResponse(Etl.TABLE, etl.count());
	}

	@GetMapping("/stats")
	@Operation(summary = "Repositories and stars by language and by owner, largest first (top 20 each)")
	RepositoryView.Stats stats() {
		return etl.stats();
	}

	/** {owner}/{name}: GitHub's full names contain one slash. */
	@GetMapping("/{owner}/{name}")
	@Operation(summary = "One repository by full name, with its star/fork history")
	RepositoryView.Detail get(@PathVariable String owner, @PathVariable String name) {
		return etl.repository(owner + "/" + name);
	}

	@GetMapping("/{fullName}")
	@Operation(summary = "One repository by URL-encoded full name (owner%2Fname)")
	RepositoryView.Detail getEncoded(@PathVariable String fullName) {
		if (!fullName.contains("/")) {
			throw ApiException.notFound("repository_not_found", "Give the full name as owner/name");
		}
		return etl.repository(fullName);
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return value == null || value.isBlank() ? null : value.trim();
	}

}
