package io.walleye.etl;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An in-process stand-in for the GitHub REST API (JDK HTTP server, no dependencies), serving generated repositories in
 * GitHub's documented shapes for {@code /search/repositories}, {@code /orgs/{org}/repos} and
 * {@code /users/{user}/repos}: {@code Link} pagination, weak ETags with 304s that cost no quota, primary rate limits
 * ({@code X-RateLimit-*} headers, 403 when exhausted), the 1,000-result cap of search, and scripted faults — secondary
 * limits with {@code Retry-After}, 5xx bursts, slow pages and malformed records. Used by the server's tests and by the
 * bench (through the server's test-jar), so both exercise the real HTTP client against the same behaviour.
 */
public final class FakeGitHub implements AutoCloseable {

	/** GitHub's search API answers at most this many results per query. */
	public static final int SEARCH_CAP = 1000;

	private static final Instant EPOCH = LocalDate.of(2010, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);

	private static final String[] LANGUAGES = { "Java", "Go", "Python", "Rust", "TypeScript", "C++", "Kotlin", null };

	private static volatile FakeGitHub shared;

	private final HttpServer server;

	private final Map<String, Owner> owners = new ConcurrentHashMap<>();

	private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();

	private final AtomicLong nextId = new AtomicLong(10_000_000);

	private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private final Quota core = new Quota();

	private final Quota search = new Quota();

	private volatile Duration pageDelay = Duration.ZERO;

	private volatile String delayedOwner = "";

	private FakeGitHub(int port) throws IOException {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", this::handle);
		server.start();
		core.configure(1_000_000, Duration.ofHours(1));
		search.configure(1_000_000, Duration.ofHours(1));
	}

	/** A new fake on a free port (or the given one). */
	public static FakeGitHub start(int port) {
		try {
			return new FakeGitHub(port);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot start the fake GitHub", ex);
		}
	}

	/** The one fake of this JVM, started on first use: every test class shares it, as they share one Spring context. */
	public static FakeGitHub shared() {
		FakeGitHub fake = shared;
		if (fake == null) {
			synchronized (FakeGitHub.class) {
				if (shared == null) {
					shared = start(0);
				}
				fake = shared;
			}
		}
		return fake;
	}

	/**
	 * Runs the fake on its own, for trying the ETL by hand or benchmarking it: {@code java -cp <server test classes>
	 * io.walleye.etl.FakeGitHub 9479 org:acme:2500 user:octocat:40}. Stops with the process.
	 */
	public static void main(String[] args) throws InterruptedException {
		FakeGitHub fake = start(args.length > 0 ? Integer.parseInt(args[0]) : 9479);
		for (int i = 1; i < args.length; i++) {
			String[] parts = args[i].split(":");
			fake.owner(parts[1], parts[0].equals("org") ? "Organization" : "User", Integer.parseInt(parts[2]));
		}
		System.out.println("Fake GitHub at " + fake.url() + " serving " + fake.owners.keySet());
		Thread.currentThread().join();
	}

	public String url() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	@Override
	public void close() {
		server.stop(0);
	}

	// ---- data -------------------------------------------------------------------------------------------------

	/**
	 * Adds (or replaces) an organisation or user with {@code count} generated repositories, created one a day apart
	 * (spread further when there are many) from 2010 on, so {@code created:} ranges split them.
	 */
	public Owner owner(String login, String type, int count) {
		Owner owner = new Owner(login, type);
		long base = nextId.getAndAdd(count + 1);
		long spreadMinutes = Math.max(1, (14L * 365 * 24 * 60) / Math.max(1, count));
		for (int i = 0; i < count; i++) {
			Instant created = EPOCH.plus(spreadMinutes * i, ChronoUnit.MINUTES);
			owner.repos.add(new Repo(base + i, owner, "repo-" + i, created, created.plus(Duration.ofDays(30)),
					(int) ((base + i) * 7919 % 50_000), (int) ((base + i) * 31 % 3_000), LANGUAGES[i % LANGUAGES.length],
					null));
		}
		owners.put(login.toLowerCase(), owner);
		return owner;
	}

	public Owner org(String login, int count) {
		return owner(login, "Organization", count);
	}

	public Owner user(String login, int count) {
		return owner(login, "User", count);
	}

	public Owner ownerNamed(String login) {
		return owners.get(login.toLowerCase());
	}

	// ---- behaviour --------------------------------------------------------------------------------------------

	/** The next requests whose path and query contain {@code match} fail as described, once per fault queued. */
	public void fail(String match, int status, Integer retryAfterSeconds, int times) {
		for (int i = 0; i < times; i++) {
			faults.add(new Fault(match, status, retryAfterSeconds));
		}
	}

	/** Sets the primary rate limit: {@code limit} requests per {@code window} for the core (non-search) resource. */
	public void coreLimit(int limit, Duration window) {
		core.configure(limit, window);
	}

	public void searchLimit(int limit, Duration window) {
		search.configure(limit, window);
	}

	/** Makes every page of one owner's listings slow, e.g. to interrupt a run mid-way. */
	public void slowPages(String owner, Duration delay) {
		delayedOwner = owner.toLowerCase();
		pageDelay = delay;
	}

	public int requestsWithStatus(int status) {
		AtomicInteger count = statuses.get(status);
		return count == null ? 0 : count.get();
	}

	public List<String> requests() {
		return List.copyOf(requests);
	}

	// ---- HTTP -------------------------------------------------------------------------------------------------

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			URI uri = exchange.getRequestURI();
			String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
			requests.add(pathAndQuery);
			Map<String, String> query = query(uri.getRawQuery());
			String path = uri.getPath();
			boolean isSearch = path.equals("/search/repositories");
			Quota quota = isSearch ? search : core;
			for (Fault fault : faults) {
				if (pathAndQuery.contains(fault.match) && faults.removeFirstOccurrence(fault)) {
					if (fault.retryAfter != null) {
						exchange.getResponseHeaders().set("Retry-After", String.valueOf(fault.retryAfter));
					}
					String message = fault.status >= 500 ? "Server Error"
							: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";
					send(exchange, fault.status, quota, "{\"message\":\"" + message
							+ "\",\"documentation_url\":\"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api\"}");
					return;
				}
			}
			Listing listing;
			if (isSearch) {
				listing = search(query);
			}
			else if (path.matches("/(orgs|users)/[^/]+/repos")) {
				String[] parts = path.split("/");
				Owner owner = owners.get(parts[2].toLowerCase());
				if (owner == null || !owner.type.equals(parts[1].equals("orgs") ? "Organization" : "User")) {
					send(exchange, 404, quota,
							"{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"404\"}");
					return;
				}
				// Generated in creation order already: listings are sorted by created date without sorting here.
				listing = new Listing(owner.repos,
						owner.repos.size(), owner.login);
			}
			else {
				send(exchange, 404, quota, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}");
				return;
			}
			if (!pageDelay.isZero() && listing.owner != null && listing.owner.equalsIgnoreCase(delayedOwner)) {
				Thread.sleep(pageDelay);
			}
			int perPage = Math.min(100, Math.max(1, intParam(query, "per_page", 30)));
			int page = Math.max(1, intParam(query, "page", 1));
			if (isSearch && (long) page * perPage > SEARCH_CAP && (long) (page - 1) * perPage >= SEARCH_CAP) {
				send(exchange, 422, quota,
						"{\"message\":\"Only the first 1000 search results are available\",\"documentation_url\":\"https://docs.github.com/v3/search/\"}");
				return;
			}
			int reachable = isSearch ? Math.min(SEARCH_CAP, listing.repos.size()) : listing.repos.size();
			int from = Math.min(reachable, (page - 1) * perPage);
			int to = Math.min(reachable, from + perPage);
			List<Repo> slice = listing.repos.subList(from, to);
			String etag = "W/\"" + Long.toHexString(etagOf(pathAndQuery, slice, listing.total)) + "\"";
			exchange.getResponseHeaders().set("ETag", etag);
			int lastPage = Math.max(1, (reachable + perPage - 1) / perPage);
			String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
			if (page < lastPage && !etag.equals(ifNoneMatch)) {
				// Only on a 200: a 304 need only repeat the validators (RFC 9110, 15.4.5), so clients cannot count on
				// a Link there and the fake does not send one.
				exchange.getResponseHeaders()
					.set("Link", "<" + link(uri, query, page + 1) + ">; rel=\"next\", <" + link(uri, query, lastPage)
							+ ">; rel=\"last\"");
			}
			if (etag.equals(ifNoneMatch)) {
				// A conditional request answered 304 does not count against the primary rate limit.
				quota.headers(exchange, false);
				count(304);
				exchange.sendResponseHeaders(304, -1);
				return;
			}
			StringBuilder body = new StringBuilder(slice.size() * 1_800 + 100);
			if (isSearch) {
				body.append("{\"total_count\":").append(listing.total).append(",\"incomplete_results\":false,\"items\":");
			}
			body.append('[');
			for (int i = 0; i < slice.size(); i++) {
				if (i > 0) {
					body.append(',');
				}
				slice.get(i).json(body);
			}
			body.append(']');
			if (isSearch) {
				body.append('}');
			}
			send(exchange, 200, quota, body.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private Listing search(Map<String, String> query) {
		String q = query.getOrDefault("q", "");
		String owner = null;
		LocalDate createdFrom = null;
		LocalDate createdTo = null;
		String language = null;
		List<String> words = new ArrayList<>();
		for (String term : q.trim().split("\\s+")) {
			if (term.startsWith("user:") || term.startsWith("org:")) {
				owner = term.substring(term.indexOf(':') + 1);
			}
			else if (term.startsWith("created:")) {
				String[] range = term.substring(8).split("\\.\\.");
				createdFrom = range[0].equals("*") ? null : LocalDate.parse(range[0]);
				createdTo = range.length < 2 || range[1].equals("*") ? null : LocalDate.parse(range[1]);
			}
			else if (term.startsWith("language:")) {
				language = term.substring(9);
			}
			else if (!term.isBlank()) {
				words.add(term.toLowerCase());
			}
		}
		List<Repo> matches = new ArrayList<>();
		for (Owner candidate : owners.values()) {
			if (owner != null && !candidate.login.equalsIgnoreCase(owner)) {
				continue;
			}
			for (Repo repo : candidate.repos) {
				LocalDate created = LocalDate.ofInstant(repo.createdAt, ZoneOffset.UTC);
				if ((createdFrom != null && created.isBefore(createdFrom))
						|| (createdTo != null && created.isAfter(createdTo))
						|| (language != null && !language.equalsIgnoreCase(repo.language))
						|| !words.stream().allMatch(word -> repo.fullName().toLowerCase().contains(word))) {
					continue;
				}
				matches.add(repo);
			}
		}
		Comparator<Repo> order = "stars".equals(query.get("sort"))
				? Comparator.comparingInt(Repo::stars).reversed().thenComparingLong(Repo::id)
				: Comparator.comparingLong(Repo::id);
		matches.sort(order);
		return new Listing(matches, matches.size(), owner);
	}

	private void send(HttpExchange exchange, int status, Quota quota, String body) throws IOException {
		boolean allowed = status == 304 || quota.take();
		if (!allowed) {
			status = 403;
			body = "{\"message\":\"API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit.)\",\"documentation_url\":\"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api\"}";
		}
		quota.headers(exchange, allowed);
		count(status);
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private void count(int status) {
		statuses.computeIfAbsent(status, key -> new AtomicInteger()).incrementAndGet();
	}

	private static long etagOf(String pathAndQuery, List<Repo> slice, int total) {
		long hash = pathAndQuery.replaceAll("[?&]page=\\d+", "").hashCode() * 31L + total;
		for (Repo repo : slice) {
			hash = hash * 1_000_003 + repo.id;
			hash = hash * 1_000_003 + repo.updatedAt.getEpochSecond();
			hash = hash * 1_000_003 + repo.stars;
			hash = hash * 1_000_003 + (repo.malformed == null ? 0 : repo.malformed.hashCode());
		}
		return hash;
	}

	private String link(URI uri, Map<String, String> query, int page) {
		Map<String, String> next = new LinkedHashMap<>(query);
		next.put("page", String.valueOf(page));
		StringBuilder link = new StringBuilder(url()).append(uri.getRawPath());
		char separator = '?';
		for (Map.Entry<String, String> entry : next.entrySet()) {
			link.append(separator)
				.append(entry.getKey())
				.append('=')
				.append(java.net.URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
			separator = '&';
		}
		return link.toString();
	}

	private static Map<String, String> query(String raw) {
		Map<String, String> query = new LinkedHashMap<>();
		if (raw == null || raw.isEmpty()) {
			return query;
		}
		for (String pair : raw.split("&")) {
			int eq = pair.indexOf('=');
			String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			query.put(key, value);
		}
		return query;
	}

	private static int intParam(Map<String, String> query, String name, int fallback) {
		try {
			return query.containsKey(name) ? Integer.parseInt(query.get(name)) : fallback;
		}
		catch (NumberFormatException ex) {
			return fallback;
		}
	}

	private record Listing(List<Repo> repos, int total, String owner) {
	}

	private record Fault(String match, int status, Integer retryAfter) {
	}

	/** A primary rate limit window: a budget of requests that resets at an instant, as X-RateLimit-* announce it. */
	private static final class Quota {

		private int limit;

		private Duration window;

		private int used;

		private Instant reset = Instant.now();

		synchronized void configure(int limit, Duration window) {
			this.limit = limit;
			this.window = window;
			this.used = 0;
			this.reset = Instant.now().plus(window);
		}

		synchronized boolean take() {
			roll();
			if (used >= limit) {
				return false;
			}
			used++;
			return true;
		}

		synchronized void headers(HttpExchange exchange, boolean allowed) {
			roll();
			var headers = exchange.getResponseHeaders();
			headers.set("X-RateLimit-Limit", String.valueOf(limit));
			headers.set("X-RateLimit-Remaining", String.valueOf(Math.max(0, limit - used)));
			headers.set("X-RateLimit-Used", String.valueOf(used));
			// GitHub announces the reset in whole epoch seconds; round up so a client never wakes early.
			headers.set("X-RateLimit-Reset", String.valueOf(reset.getEpochSecond() + (reset.getNano() > 0 ? 1 : 0)));
		}

		private void roll() {
			if (!Instant.now().isBefore(reset)) {
				used = 0;
				reset = Instant.now().plus(window);
			}
		}
	}

	/** An organisation or user and its repositories; tests change them between runs. */
	public static final class Owner {

		final String login;

		final String type;

		final List<Repo> repos = new CopyOnWriteArrayList<>();

		Owner(String login, String type) {
			this.login = login;
			this.type = type;
		}

		public String login() {
			return login;
		}

		public List<Repo> repos() {
			return List.copyOf(repos);
		}

		/** Gives repository {@code index} more stars and a newer {@code updated_at}, as activity on GitHub would. */
		public void star(int index, int moreStars) {
			Repo repo = repos.get(index);
			repos.set(index, new Repo(repo.id, this, repo.name, repo.createdAt, repo.updatedAt.plusSeconds(3600),
					repo.stars + moreStars, repo.forks, repo.language, repo.malformed));
		}

		/**
		 * Breaks repository {@code index} the way real feeds break: {@code missing_id}, {@code bad_date} or
		 * {@code bad_number}.
		 */
		public void corrupt(int index, String how) {
			Repo repo = repos.get(index);
			repos.set(index, new Repo(repo.id, this, repo.name, repo.createdAt, repo.updatedAt, repo.stars, repo.forks,
					repo.language, how));
		}
	}

	/** One repository; {@link #json} writes it as GitHub's "repository" object (the fields a listing carries). */
	public record Repo(long id, Owner owner, String name, Instant createdAt, Instant updatedAt, int stars, int forks,
			String language, String malformed) {

		public String fullName() {
			return owner.login + "/" + name;
		}

		void json(StringBuilder out) {
			String fullName = fullName();
			out.append('{');
			if (!"missing_id".equals(malformed)) {
				out.append("\"id\":").append(id).append(',');
			}
			out.append("\"node_id\":\"R_kg").append(id).append("\",\"name\":\"").append(name)
				.append("\",\"full_name\":\"").append(fullName).append("\",\"private\":false,\"owner\":{\"login\":\"")
				.append(owner.login).append("\",\"id\":").append(Math.abs(owner.login.hashCode()))
				.append(",\"type\":\"").append(owner.type).append("\",\"site_admin\":false,\"html_url\":\"https://github.com/")
				.append(owner.login).append("\"},\"html_url\":\"https://github.com/").append(fullName)
				.append("\",\"description\":").append(id % 5 == 0 ? "null" : "\"  Repository " + name + " of " + owner.login + "  \"")
				.append(",\"fork\":").append(id % 11 == 0).append(",\"url\":\"https://api.github.com/repos/").append(fullName)
				.append("\",\"created_at\":\"").append("bad_date".equals(malformed) ? "last tuesday" : createdAt.toString())
				.append("\",\"updated_at\":\"").append(updatedAt).append("\",\"pushed_at\":\"").append(updatedAt)
				.append("\",\"homepage\":").append(id % 3 == 0 ? "\"\"" : "\"https://" + owner.login.toLowerCase() + ".example/" + name + "\"")
				.append(",\"size\":").append(id % 10_000).append(",\"stargazers_count\":")
				.append("bad_number".equals(malformed) ? "\"lots\"" : String.valueOf(stars))
				.append(",\"watchers_count\":").append(stars).append(",\"language\":")
				.append(language == null ? "null" : "\"" + language + "\"").append(",\"has_issues\":true")
				.append(",\"forks_count\":").append(forks).append(",\"archived\":").append(id % 13 == 0)
				.append(",\"disabled\":false,\"open_issues_count\":").append(id % 97).append(",\"license\":")
				.append(id % 4 == 0 ? "null" : "{\"key\":\"apache-2.0\",\"name\":\"Apache License 2.0\",\"spdx_id\":\"Apache-2.0\"}")
				.append(",\"topics\":[").append(id % 2 == 0 ? "\"etl\",\"" + (language == null ? "misc" : language.toLowerCase().replace("+", "p")) + "\"" : "")
				.append("],\"visibility\":\"public\",\"forks\":").append(forks).append(",\"open_issues\":").append(id % 97)
				.append(",\"watchers\":").append(stars).append(",\"default_branch\":\"main\",\"score\":1.0}");
		}
	}
}
