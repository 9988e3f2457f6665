package io.walleye.etl;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

import io.walleye.etl.persistence.EtlDatabase;
import io.walleye.etl.persistence.Repositories;
import io.walleye.etl.persistence.Runs;
import io.walleye.platform.ApiException;
import io.walleye.platform.Cursor;
import io.walleye.platform.Ids;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;

/**
 * The ETL's facade: start, watch and cancel runs (workers execute them), and query the loaded repositories. The API
 * and the console both call this; no one else touches the ETL's tables.
 */
@Service
public class Etl {

	public static final String TABLE = "github_repositories";

	private final EtlDatabase db;

	private final Runs runs;

	private final Repositories repositories;

	private final Ids ids;

	private final Clock clock;

	Etl(EtlDatabase db, Runs runs, Repositories repositories, Ids ids, Clock clock) {
		this.db = db;
		this.runs = runs;
		this.repositories = repositories;
		this.ids = ids;
		this.clock = clock;
	}

	/** Queues a run; a worker claims it within its poll interval. */
	public RunView start(EtlSource source, @Nullable Integer maxRepositories) {
		if (maxRepositories != null && maxRepositories < 1) {
			throw ApiException.badRequest("invalid_max_repositories", "max_repositories must be at least 1");
		}
		UUID id = ids.next();
		return db.write("etl.start", () -> {
			runs.insert(id, source, maxRepositories, clock.instant());
			return runs.find(id).orElseThrow();
		});
	}

	/** Starts a scheduled run unless another worker already started it for this instant. */
	public Optional<UUID> fireSchedule(String schedule, Instant at, EtlSource source, @Nullable Integer max) {
		UUID id = ids.next();
		return db.write("etl.schedule", () -> {
			int fired = db.jdbc().sql("""
					insert into etl_schedule_fires (schedule, fire_at, run_id) values (:schedule, :at, :run)
					on conflict do nothing
					""").param("schedule", schedule).param("at", Timestamp.from(at)).param("run", id).update();
			if (fired == 0) {
				return Optional.empty();
			}
			runs.insert(id, source, max, clock.instant());
			return Optional.of(id);
		});
	}

	public RunView run(UUID id) {
		return db.read("etl.run", () -> runs.find(id))
			.orElseThrow(() -> ApiException.notFound("run_not_found", "No ETL run " + id));
	}

	public Page<RunView> runs(PageRequest page) {
		Cursor after = page.decodeCursor(2);
		List<RunView> rows = db.read("etl.runs", () -> runs.list(after, page.fetchSize()));
		return Page.of(rows, page.limit(), run -> Cursor.of(run.createdAt(), run.id()));
	}

	/** Cancels an unfinished run (its worker stops at the next page); a finished one is a 409. */
	public RunView cancel(UUID id) {
		RunView run = run(id);
		if (!db.write("etl.cancel", () -> runs.cancel(id, clock.instant()))) {
			throw ApiException.conflict("run_finished", "Run " + id + " already finished as " + run.status().value());
		}
		return run(id);
	}

	public Page<RepositoryView> repositories(RepositoryView.Filter filter, PageRequest page) {
		if (!filter.sort().equals("stars") && !filter.sort().equals("updated")) {
			throw ApiException.badRequest("invalid_sort", "sort must be stars or updated");
		}
		Cursor after = page.decodeCursor(2);
		if (after != null) {
			// Validate the cursor's shape here so a forged one is a 400, not a database error.
			if (filter.sort().equals("stars")) {
				after.number(0);
			}
			else {
				after.instant(0);
			}
			after.number(1);
		}
		List<RepositoryView> rows = db.read("etl.repositories", () -> repositories.list(filter, after, page.fetchSize()));
		return Page.of(rows, page.limit(), repository -> Cursor.of(
				filter.sort().equals("stars") ? repository.stargazersCount() : repository.updatedAt(),
				repository.githubId()));
	}

	public RepositoryView.Detail repository(String fullName) {
		RepositoryView repository = db.read("etl.repository", () -> repositories.byFullName(fullName))
			.orElseThrow(() -> ApiException.notFound("repository_not_found", "No repository " + fullName + " loaded"));
		return new RepositoryView.Detail(repository,
				db.read("etl.repository.history", () -> repositories.history(repository.githubId())));
	}

	/** The number of rows in github_repositories. */
	public long count() {
		return db.read("etl.count", repositories::count);
	}

	public RepositoryView.Stats stats() {
		return db.read("etl.stats", () -> new RepositoryView.Stats(repositories.count(), repositories.byLanguage(20),
				repositories.byOwner(20)));
	}
}
