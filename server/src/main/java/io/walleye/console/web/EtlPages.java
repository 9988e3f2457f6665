package io.walleye.console.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.walleye.etl.Etl;
import io.walleye.etl.EtlSource;
import io.walleye.etl.RepositoryView;
import io.walleye.etl.RunView;
import io.walleye.platform.ApiException;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.platform.Role;

/**
 * GitHub ETL runs with their progress (refreshed by htmx while any run is unfinished), starting a run, a run's detail,
 * and the repositories they loaded with filters, the record count, stars by language and a repository's history.
 */
@Controller
@ConditionalOnRole(Role.CONSOLE)
class EtlPages {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Etl etl;

	EtlPages(Etl etl) {
		this.etl = etl;
	}

	@GetMapping("/console/etl")
	String etl(Model model) {
		runs(model);
		model.addAttribute("count", etl.count());
		return "console/etl";
	}

	/** The runs table alone, for htmx polling. */
	@GetMapping("/console/etl/runs")
	String runsFragment(Model model) {
		runs(model);
		return "console/etl :: runs";
	}

	private void runs(Model model) {
		List<RunView> runs = etl.runs(PageRequest.of(25, null)).items();
		model.addAttribute("runs", runs);
		model.addAttribute("anyOpen", runs.stream().anyMatch(run -> !run.status().finished()));
	}

	@PostMapping("/console/etl/runs")
	String start(@RequestParam(defaultValue = "org") String kind, @RequestParam(defaultValue = "") String value,
			@RequestParam(required = false) @Nullable String sort,
			@RequestParam(name = "max", required = false) @Nullable String max, RedirectAttributes redirect) {
		try {
			Integer maxRepositories = max == null || max.isBlank() ? null : Integer.valueOf(max.trim());
			EtlSource source = switch (kind) {
				case "query" -> EtlSource.of(value, sort, null, null);
				case "user" -> EtlSource.of(null, null, null, value);
				default -> EtlSource.of(null, null, value, null);
			};
			RunView run = etl.start(source, maxRepositories);
			return "redirect:/console/etl/runs/" + run.id();
		}
		catch (ApiException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		catch (NumberFormatException ex) {
			redirect.addFlashAttribute("error", "Max repositories must be a whole number, or empty for no limit");
		}
		return "redirect:/console/etl";
	}

	@GetMapping("/console/etl/runs/{id}")
	String run(@PathVariable UUID id, Model model) {
		model.addAttribute("run", etl.run(id));
		return "console/etl-run";
	}

	@GetMapping("/console/etl/runs/{id}/status")
	String runStatus(@PathVariable UUID id, Model model) {
		model.addAttribute("run", etl.run(id));
		return "console/etl-run :: status";
	}

	@PostMapping("/console/etl/runs/{id}/cancel")
	String cancel(@PathVariable UUID id, RedirectAttributes redirect) {
		try {
			etl.cancel(id);
		}
		catch (ApiException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/console/etl/runs/" + id;
	}

	@GetMapping("/console/etl/repositories")
	String repositories(@RequestParam(required = false) @Nullable String language,
			@RequestParam(required = false) @Nullable String owner,
			@RequestParam(name = "min_stars", required = false) @Nullable String minStars,
			@RequestParam(required = false) @Nullable String q,
			@RequestParam(required = false, defaultValue = "stars") String sort,
			@RequestParam(required = false) @Nullable String cursor, Model model) {
		Integer stars = null;
		String error = null;
		try {
			stars = minStars == null || minStars.isBlank() ? null : Integer.valueOf(minStars.trim());
		}
		catch (NumberFormatException ex) {
			error = "Minimum stars must be a whole number";
		}
		RepositoryView.Filter filter = new RepositoryView.Filter(blank(language), blank(owner), stars, blank(q),
				sort.equals("updated") ? "updated" : "stars");
		Page<RepositoryView> page;
		try {
			page = etl.repositories(filter, PageRequest.of(50, cursor));
		}
		catch (ApiException ex) {
			error = ex.getMessage();
			page = etl.repositories(filter, PageRequest.of(50, null));
		}
		RepositoryView.Stats stats = etl.stats();
		model.addAttribute("filter", filter);
		model.addAttribute("minStars", minStars == null ? "" : minStars);
		model.addAttribute("page", page);
		model.addAttribute("count", stats.repositories());
		model.addAttribute("error", error);
		model.addAttribute("nextQuery", nextQuery(filter, minStars, page.nextCursor()));
		Map<String, Object> chart = new LinkedHashMap<>();
		chart.put("labels", stats.byLanguage().stream().map(g -> g.key() == null ? "(none)" : g.key()).toList());
		chart.put("stars", stats.byLanguage().stream().map(RepositoryView.Group::stars).toList());
		chart.put("repositories", stats.byLanguage().stream().map(RepositoryView.Group::repositories).toList());
		model.addAttribute("languageChart", JSON.writeValueAsString(chart));
		return "console/etl-repositories";
	}

	@GetMapping("/console/etl/repositories/{owner}/{name}")
	String repository(@PathVariable String owner, @PathVariable String name, Model model) {
		RepositoryView.Detail detail = etl.repository(owner + "/" + name);
		model.addAttribute("detail", detail);
		Map<String, Object> chart = new LinkedHashMap<>();
		chart.put("at", detail.history().stream().map(s -> s.capturedAt().toString()).toList());
		chart.put("stars", detail.history().stream().map(RepositoryView.Snapshot::stargazersCount).toList());
		chart.put("forks", detail.history().stream().map(RepositoryView.Snapshot::forksCount).toList());
		model.addAttribute("historyChart", JSON.writeValueAsString(chart));
		return "console/etl-repository";
	}

	private static @Nullable String nextQuery(RepositoryView.Filter filter, @Nullable String minStars,
			@Nullable String cursor) {
		if (cursor == null) {
			return null;
		}
		StringBuilder query = new StringBuilder("?sort=").append(filter.sort());
		append(query, "language", filter.language());
		append(query, "owner", filter.owner());
		append(query, "min_stars", minStars);
		append(query, "q", filter.q());
		append(query, "cursor", cursor);
		return query.toString();
	}

	private static void append(StringBuilder query, String name, @Nullable String value) {
		if (value != null && !value.isBlank()) {
			query.append('&').append(name).append('=')
				.append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
		}
	}

	private static @Nullable String blank(@Nullable String value) {
		return value == null || value.isBlank() ? null : value.trim();
	}
}
