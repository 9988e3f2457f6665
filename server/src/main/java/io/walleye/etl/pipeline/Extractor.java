package io.walleye.etl.pipeline;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import io.walleye.etl.EtlProperties;
import io.walleye.etl.EtlSource;
import io.walleye.etl.persistence.EtlDatabase;
import io.walleye.etl.persistence.Runs;

/**
 * Extract: walks a run's request chains (etl_segments), fetching each page within GitHub's rate limits and storing it
 * with the chain's next URL in one transaction, so a killed worker resumes at the first page not stored. Splits a
 * search with more than 1,000 matches into {@code created:} ranges until each fits.
 */
@Component
class Extractor {

	private static final Logger log = LoggerFactory.getLogger(Extractor.class);

	static final int SEARCH_CAP = 1000;

	/** GitHub launched in 2008; no repository is older than this. */
	static final LocalDate FIRST_DAY = LocalDate.of(2007, 10, 1);

	private static final Pattern CREATED = Pattern.compile("(^|\\s)created:(\\S+)");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final EtlDatabase db;

	private final Runs runs;

	private final EtlProperties properties;

	private final EtlMetrics metrics;

	private final Clock clock;

	private final GitHubClient client;

	Extractor(EtlDatabase db, Runs runs, EtlProperties properties, EtlMetrics metrics, Clock clock) {
		this.db = db;
		this.runs = runs;
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock;
		this.client = new GitHubClient(properties.githubToken(), properties.requestTimeout());
	}

	/** Fetches until the frontier is empty (or max_repositories are extracted), then marks extraction done. */
	void extract(Runs.Claimed run, Control control) throws InterruptedException {
		if (!db.read("etl.extract.has-segments", () -> runs.hasSegments(run.id()))) {
			db.write("etl.extract.plan", () -> {
				plan(run);
				return null;
			});
		}
		Map<String, Quota> quotas = new ConcurrentHashMap<>();
		try (ExecutorService prefetcher = Executors.newVirtualThreadPerTaskExecutor()) {
			extract(run, control, quotas, prefetcher);
		}
		db.write("etl.extract.done", () -> {
			runs.extractDone(run.id());
			return null;
		});
	}

	/** A page fetched, with the validator it was asked with (to read a 304). */
	private record Fetched(String url, Optional<Runs.Etag> stored, GitHubClient.Response response) {
	}

	private Fetched fetchPage(Runs.Claimed run, String url, Map<String, Quota> quotas, Control control)
			throws InterruptedException {
		Optional<Runs.Etag> stored = db.read("etl.extract.etag", () -> runs.etag(url));
		return new Fetched(url, stored, fetch(run, url, stored.map(Runs.Etag::etag).orElse(null), quotas, control));
	}

	/**
	 * The fetch loop. The next page of a chain is requested while the current one is being stored, so GitHub's
	 * latency and the database's commit overlap; the page order and its checkpoint stay strictly sequential.
	 */
	private void extract(Runs.Claimed run, Control control, Map<String, Quota> quotas, ExecutorService prefetcher)
			throws InterruptedException {
		Future<Fetched> prefetched = null;
		while (true) {
			control.check();
			if (run.maxRepositories() != null
					&& db.read("etl.extract.count", () -> runs.counter(run.id(), "extracted")) >= run.maxRepositories()) {
				break;
			}
			var open = db.read("etl.extract.segments", () -> runs.openSegments(run.id()));
			if (open.isEmpty()) {
				break;
			}
			Runs.Segment segment = open.getFirst();
			String url = segment.nextUrl();
			Fetched fetched = null;
			if (prefetched != null) {
				Fetched ahead = await(prefetched);
				prefetched = null;
				if (ahead.url().equals(url)) {
					fetched = ahead;
				}
			}
			if (fetched == null) {
				fetched = fetchPage(run, url, quotas, control);
			}
			Optional<Runs.Etag> stored = fetched.stored();
			GitHubClient.Response response = fetched.response();
			boolean notModified = response.status() == 304 && stored.isPresent();
			String body = notModified ? null : response.body();
			String next;
			Integer total;
			int items;
			if (notModified) {
				next = stored.get().nextUrl();
				total = stored.get().totalCount();
				items = 0;
			}
			else {
				int[] shape = shape(body == null ? "[]" : body);
				total = shape[0] < 0 ? null : shape[0];
				items = shape[1];
				next = response.nextUrl();
			}
			if (segment.query() != null && isFirstPage(url) && total != null && total > SEARCH_CAP
					&& (run.maxRepositories() == null || run.maxRepositories() > SEARCH_CAP)) {
				Optional<String[]> halves = split(segment.query());
				if (halves.isPresent()) {
					db.write("etl.extract.split", () -> {
						if (!runs.advance(run.id(), segment.seq(), url, null)) {
							return null; // split by an attempt whose commit was not confirmed
						}
						for (String half : halves.get()) {
							runs.addSegment(run.id(), half, searchUrl(half, sortOf(run.source())));
						}
						if (!notModified && response.etag() != null) {
							// Its rows come through the halves, so this page may answer 304 next time at once.
							runs.saveEtag(url, new Runs.Etag(response.etag(), next, total, items), clock.instant());
						}
						return null;
					});
					log.info("ETL run {}: '{}' matches {} repositories; split by created date", run.id(),
							segment.query(), total);
					continue;
				}
				log.warn("ETL run {}: '{}' matches {} repositories within one day; only the first {} can be fetched",
						run.id(), segment.query(), total, SEARCH_CAP);
			}
			if (segment.seq() == 0 && isFirstPage(url)) {
				Integer expected = expected(total, response.lastPage(), next,
						notModified ? stored.get().items() : items);
				if (expected != null) {
					db.write("etl.extract.expected", () -> {
						runs.expected(run.id(), expected);
						return null;
					});
				}
			}
			if (next != null) {
				String ahead = next;
				prefetched = prefetcher.submit(() -> fetchPage(run, ahead, quotas, control));
			}
			String etag = notModified ? null : response.etag();
			// A retry after a commit whose answer was lost finds the page stored already and stores nothing.
			db.write("etl.extract.store-page", () -> runs.storePage(run.id(), segment.seq(), url,
					notModified ? 304 : 200, body, items, etag, next, total, response.remaining(), response.resetAt()));
		}
		if (prefetched != null) {
			prefetched.cancel(true);
		}
	}

	/**
	 * What the source holds, for the progress bar: the search's total, else the last page's number × 100 (a 304
	 * carries no {@code Link}, so a re-run may not know it), else the items of a single page; null when unknown.
	 */
	static @Nullable Integer expected(@Nullable Integer total, @Nullable Integer lastPage, @Nullable String next,
			int items) {
		if (total != null) {
			return total;
		}
		if (lastPage != null) {
			return lastPage * 100;
		}
		return next == null ? items : null;
	}

	/**
	 * {total_count or -1, number of items} of a page, read with the streaming parser (no tree: pages are large and
	 * transform parses them anyway). A body that is not JSON counts as one item, which transform then rejects.
	 */
	static int[] shape(String body) {
		try (tools.jackson.core.JsonParser parser = JSON.createParser(body)) {
			tools.jackson.core.JsonToken first = parser.nextToken();
			if (first == tools.jackson.core.JsonToken.START_ARRAY) {
				return new int[] { -1, countElements(parser) };
			}
			int total = -1;
			int items = 0;
			if (first == tools.jackson.core.JsonToken.START_OBJECT) {
				while (parser.nextToken() == tools.jackson.core.JsonToken.PROPERTY_NAME) {
					String name = parser.currentName();
					tools.jackson.core.JsonToken value = parser.nextToken();
					if (name.equals("total_count") && value.isNumeric()) {
						total = parser.getIntValue();
					}
					else if (name.equals("items") && value == tools.jackson.core.JsonToken.START_ARRAY) {
						items = countElements(parser);
					}
					else {
						parser.skipChildren();
					}
				}
			}
			return new int[] { total, items };
		}
		catch (tools.jackson.core.JacksonException ex) {
			return new int[] { -1, 1 };
		}
	}

	private static int countElements(tools.jackson.core.JsonParser parser) {
		int count = 0;
		while (parser.nextToken() != tools.jackson.core.JsonToken.END_ARRAY) {
			parser.skipChildren();
			count++;
		}
		return count;
	}

	private static Fetched await(Future<Fetched> future) throws InterruptedException {
		try {
			return future.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (ex.getCause() instanceof InterruptedException interrupted) {
				throw interrupted;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	private void plan(Runs.Claimed run) {
		String base = properties.githubApiUrl().replaceAll("/+$", "");
		switch (run.source()) {
			case EtlSource.Query q -> runs.addSegment(run.id(), q.query(), searchUrl(q.query(), q.sort()));
			case EtlSource.Org o -> runs.addSegment(run.id(), null, base + "/orgs/" + o.org() + "/repos?per_page=100");
			case EtlSource.User u -> runs.addSegment(run.id(), null, base + "/users/" + u.user() + "/repos?per_page=100");
		}
	}

	String searchUrl(String query, @Nullable String sort) {
		String base = properties.githubApiUrl().replaceAll("/+$", "");
		return base + "/search/repositories?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
				+ (sort == null ? "" : "&sort=" + sort + "&order=desc") + "&per_page=100";
	}

	private static @Nullable String sortOf(EtlSource source) {
		return source instanceof EtlSource.Query q ? q.sort() : null;
	}

	private static boolean isFirstPage(String url) {
		return !url.matches(".*[?&]page=\\d+.*") || url.matches(".*[?&]page=1(&.*)?$");
	}

	/**
	 * The query cut into two halves of its {@code created:} range (all of GitHub's history when it has none); empty
	 * when the range is a single day and cannot be cut.
	 */
	static Optional<String[]> split(String query) {
		LocalDate from = FIRST_DAY;
		LocalDate to = LocalDate.now(ZoneOffset.UTC);
		Matcher matcher = CREATED.matcher(query);
		String rest = query;
		if (matcher.find()) {
			String[] range = matcher.group(2).split("\\.\\.", -1);
			try {
				if (range.length == 2) {
					from = range[0].equals("*") ? from : LocalDate.parse(range[0]);
					to = range[1].equals("*") ? to : LocalDate.parse(range[1]);
				}
				else {
					from = LocalDate.parse(range[0]);
					to = from;
				}
			}
			catch (java.time.format.DateTimeParseException ex) {
				return Optional.empty(); // A created: filter we do not understand (e.g. >2020-01-01): leave it.
			}
			rest = (query.substring(0, matcher.start()) + " " + query.substring(matcher.end())).trim();
		}
		if (!from.isBefore(to)) {
			return Optional.empty();
		}
		LocalDate middle = from.plusDays((to.toEpochDay() - from.toEpochDay()) / 2);
		String prefix = rest.isEmpty() ? "" : rest + " ";
		return Optional.of(new String[] { prefix + "created:" + from + ".." + middle,
				prefix + "created:" + middle.plusDays(1) + ".." + to });
	}

	/** What the last answer said about one quota (GitHub's search and core limits are separate). */
	private record Quota(int limit, int remaining, Instant resetAt) {
	}

	/**
	 * One page, waiting out rate limits and retrying 5xx and network errors; returns a 200 or a 304, or throws
	 * {@link ExtractFailure} when GitHub refuses or keeps failing.
	 */
	GitHubClient.Response fetch(Runs.Claimed run, String url, @Nullable String etag, Map<String, Quota> quotas,
			Control control) throws InterruptedException {
		String resource = url.contains("/search/") ? "search" : "core";
		int failures = 0;
		int secondary = 0;
		while (true) {
			control.check();
			Quota quota = quotas.get(resource);
			if (quota != null && quota.remaining() <= Math.min(properties.rateLimitReserve(), quota.limit() / 10)
					&& quota.resetAt().isAfter(clock.instant())) {
				log.info("ETL run {}: {} quota at its reserve ({} left); waiting for the reset at {}", run.id(), resource,
						quota.remaining(), quota.resetAt());
				waitUntil(run, quota.resetAt().plusSeconds(1), control);
				quotas.remove(resource);
			}
			GitHubClient.Response response;
			try {
				response = client.get(url, etag);
			}
			catch (IOException ex) {
				metrics.request("network_error");
				failures++;
				if (failures > properties.maxRetries()) {
					throw new ExtractFailure("GitHub could not be reached after " + failures + " attempts ("
							+ ex.getClass().getSimpleName() + ")");
				}
				backoff(failures, control);
				continue;
			}
			metrics.request(String.valueOf(response.status()));
			if (response.remaining() != null) {
				Instant reset = response.resetAt() == null ? clock.instant().plusSeconds(60) : response.resetAt();
				int limit = response.limit() == null ? Integer.MAX_VALUE : response.limit();
				quotas.put(resource, new Quota(limit, response.remaining(), reset));
				metrics.remaining(resource, response.remaining());
				if (response.status() != 200 && response.status() != 304) {
					// A page answered 200/304 records the quota with the page; a refusal records it here.
					int remaining = response.remaining();
					db.write("etl.extract.rate-limit", () -> {
						runs.rateLimit(run.id(), remaining, reset);
						return null;
					});
				}
			}
			int status = response.status();
			if (status == 200 || status == 304) {
				return response;
			}
			if (status == 403 || status == 429) {
				if (response.retryAfterSeconds() != null) {
					secondary++;
					waitUntil(run, clock.instant().plusSeconds(Math.max(1, response.retryAfterSeconds())), control);
					continue;
				}
				if (response.remaining() != null && response.remaining() == 0 && response.resetAt() != null) {
					waitUntil(run, response.resetAt().plusSeconds(1), control);
					continue;
				}
				String body = response.body() == null ? "" : response.body();
				if (status == 429 || body.contains("secondary rate limit")) {
					secondary++;
					waitUntil(run, clock.instant().plus(secondaryBackoff(properties.secondaryBackoff(), secondary)),
							control);
					continue;
				}
				throw new ExtractFailure("GitHub refused " + url + " (" + status + "): " + message(body));
			}
			if (status >= 500) {
				failures++;
				if (failures > properties.maxRetries()) {
					throw new ExtractFailure("GitHub kept failing on " + url + " (" + status + " after " + failures
							+ " attempts)");
				}
				backoff(failures, control);
				continue;
			}
			throw new ExtractFailure("GitHub answered " + status + " for " + url + ": "
					+ message(response.body() == null ? "" : response.body()));
		}
	}

	/** At least the configured minimum (60 s by default), doubling per repeat, at most 15 minutes. */
	static Duration secondaryBackoff(Duration minimum, int attempt) {
		Duration wait = minimum.multipliedBy(1L << Math.min(attempt - 1, 10));
		return wait.compareTo(Duration.ofMinutes(15)) > 0 ? Duration.ofMinutes(15) : wait;
	}

	private void backoff(int failures, Control control) throws InterruptedException {
		long cap = Math.min(30_000, properties.retryBase().toMillis() << Math.min(failures - 1, 16));
		long delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
		sleep(Duration.ofMillis(delay), control);
	}

	/** Shows the wait in the run's status (waiting_rate_limit, until when) while sleeping, then resumes. */
	private void waitUntil(Runs.Claimed run, Instant until, Control control) throws InterruptedException {
		Instant start = clock.instant();
		db.write("etl.extract.wait", () -> {
			runs.waiting(run.id(), until);
			return null;
		});
		try {
			sleep(Duration.between(start, until), control);
		}
		finally {
			metrics.waited(Duration.between(start, clock.instant()));
		}
		db.write("etl.extract.resume", () -> {
			runs.waiting(run.id(), null);
			return null;
		});
	}

	private static void sleep(Duration duration, Control control) throws InterruptedException {
		long end = System.nanoTime() + Math.max(0, duration.toNanos());
		while (true) {
			control.check();
			long left = end - System.nanoTime();
			if (left <= 0) {
				return;
			}
			Thread.sleep(Duration.ofNanos(Math.min(left, 250_000_000L)));
		}
	}

	private static String message(String body) {
		try {
			JsonNode node = JSON.readTree(body);
			if (node.has("message")) {
				String message = node.get("message").asString();
				return message.length() > 200 ? message.substring(0, 200) : message;
			}
		}
		catch (RuntimeException ex) {
			// not JSON: fall through
		}
		return "no message";
	}
}
