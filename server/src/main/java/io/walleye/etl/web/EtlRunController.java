package io.walleye.etl.web;

import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.etl.Etl;
import io.walleye.etl.EtlSource;
import io.walleye.etl.RunResponse;
import io.walleye.etl.RunView;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.Role;

/** Operators start, watch and cancel GitHub ETL runs. */
@RestController
@RequestMapping("/api/v1/etl/runs")
@ConditionalOnRole(Role.API)
@PreAuthorize("hasRole('OPERATOR')")
@Tag(name = "ETL runs", description = "Copy GitHub repositories into the database")
class EtlRunController {

	private final Etl etl;

	EtlRunController(Etl etl) {
		this.etl = etl;
	}

	record SourceRequest(@Nullable String query, @Nullable String sort, @Nullable String org, @Nullable String user) {
	}

	record StartRequest(@NotNull @Valid SourceRequest source, @Nullable Integer maxRepositories) {
	}


	@PostMapping
	@Operation(summary = "Start a run: exactly one of source.query (with optional sort), source.org, source.user")
	@ApiResponses({
			@ApiResponse(responseCode = "202", description = "Queued: the run, its URL in Location", headers = @Header(name = "Location", description = "The run's URL"), content = @Content(mediaType = "application/json", schema = @Schema(implementation = RunResponse.class))),
			@ApiResponse(responseCode = "400", description = "invalid_source (sort given to an org or user source names source.sort in errors), invalid_max_repositories, validation_failed", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	ResponseEntity<RunResponse> start(@Valid @RequestBody StartRequest request) {
		SourceRequest source = request.source();
		RunView run = etl.start(EtlSource.of(source.query(), source.sort(), source.org(), source.user()),
				request.maxRepositories());
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.header("Location", "/api/v1/etl/runs/" + run.id())
			.body(RunResponse.of(run));
	}

	@GetMapping
	@Operation(summary = "Runs, newest first (cursor pagination)")
	Page<RunResponse> list(@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return etl.runs(PageRequest.of(limit, cursor)).map(RunResponse::of);
	}

	@GetMapping("/{id}")
	@Operation(summary = "A run with its counts, rate limit and status")
	RunResponse get(@PathVariable UUID id) {
		return RunResponse.of(etl.run(id));
	}

	@PostMapping("/{id}/cancel")
	@Operation(summary = "Cancel an unfinished run; 409 when it already finished")
	@ApiResponses({
			@ApiResponse(responseCode = "200", description = "Cancelled: the run", content = @Content(mediaType = "application/json", schema = @Schema(implementation = RunResponse.class))),
			@ApiResponse(responseCode = "404", description = "run_not_found", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))),
			@ApiResponse(responseCode = "409", description = "run_finished: the run already finished", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem"))) })
	RunResponse cancel(@PathVariable UUID id) {
		return RunResponse.of(etl.cancel(id));
	}
}
