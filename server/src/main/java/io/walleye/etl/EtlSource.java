package io.walleye.etl;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.lang.Contract;

import io.walleye.platform.ApiException;
import io.walleye.platform.FieldError;

/** What a run fetches: a search query, an organisation's or a user's repositories. */
public sealed interface EtlSource {

	record Query(String query, @Nullable String sort) implements EtlSource {
	}

	record Org(String org) implements EtlSource {
	}

	record User(String user) implements EtlSource {
	}

	/** Exactly one of query, org and user; anything else is a 400 naming the fields. */
	static EtlSource of(@Nullable String query, @Nullable String sort, @Nullable String org, @Nullable String user) {
		int given = (blank(query) ? 0 : 1) + (blank(org) ? 0 : 1) + (blank(user) ? 0 : 1);
		if (given != 1) {
			throw notExactlyOne();
		}
		if (!blank(sort) && blank(query)) {
			// GitHub sorts only searches; an org's or user's listing would silently come back unsorted.
			throw invalid("source.sort", "sort applies only to a query source; an org's or user's repositories come "
					+ "in GitHub's listing order");
		}
		if (sort != null && !sort.isBlank() && !sort.matches("stars|forks|help-wanted-issues|updated")) {
			throw invalid("source.sort", "sort must be stars, forks, help-wanted-issues or updated");
		}
		if (!blank(query)) {
			return new Query(query.trim(), blank(sort) ? null : sort);
		}
		if (!blank(org)) {
			return new Org(login(org));
		}
		if (!blank(user)) {
			return new User(login(user));
		}
		throw notExactlyOne();
	}

	private static ApiException notExactlyOne() {
		return ApiException.badRequest("invalid_source", "source needs exactly one of query, org or user");
	}

	private static ApiException invalid(String field, String message) {
		return ApiException.badRequest("invalid_source", message).with("errors", List.of(FieldError.of(field, message)));
	}

	private static String login(String login) {
		String trimmed = login.trim();
		// GitHub logins: alphanumerics and single hyphens, at most 39 characters.
		if (!trimmed.matches("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")) {
			throw ApiException.badRequest("invalid_source", "'" + trimmed + "' is not a GitHub login");
		}
		return trimmed;
	}

	@Contract("null -> true")
	private static boolean blank(@Nullable String value) {
		return value == null || value.isBlank();
	}

	default String describe() {
		return switch (this) {
			case Query q -> "search: " + q.query() + (q.sort() == null ? "" : " (sort " + q.sort() + ")");
			case Org o -> "org: " + o.org();
			case User u -> "user: " + u.user();
		};
	}
}
