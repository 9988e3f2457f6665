package io.walleye.webhooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import io.walleye.identity.Principal;
import io.walleye.platform.ApiException;
import io.walleye.platform.Cursor;
import io.walleye.platform.FieldError;
import io.walleye.platform.PageRequest;
import io.walleye.webhooks.persistence.Outbox;

/**
 * The change feed: a caller's events in commit order after a cursor (a customer's and a business's own, an
 * operator's all), long-polling up to 30 s when nothing is new.
 */
@Service
public class ChangeFeed {

	public static final Duration MAX_WAIT = Duration.ofSeconds(30);

	/** How often a waiting reader looks again for other processes' commits. */
	private static final Duration RECHECK = Duration.ofMillis(250);

	private final Outbox outbox;

	private final FeedSignal signal;

	private final JsonMapper json;

	private final Duration retention;

	private final FeedSequencer sequencer;

	ChangeFeed(Outbox outbox, FeedSignal signal, JsonMapper json, WebhooksProperties properties,
			FeedSequencer sequencer) {
		this.outbox = outbox;
		this.sequencer = sequencer;
		this.signal = signal;
		this.json = json;
		this.retention = properties.retention();
	}

	/** A page of the feed; {@code nextCursor} is never null: it is where to read on from. */
	public record FeedPage(List<JsonNode> items, String nextCursor) {
	}

	public FeedPage read(Principal caller, @Nullable String after, @Nullable String types, @Nullable Integer limit,
			@Nullable Integer waitSeconds) {
		UUID owner = switch (caller.type()) {
			case OPERATOR -> null;
			case CUSTOMER, BUSINESS -> caller.id();
			case APPLICATION -> throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
					"Applications have no change feed");
		};
		PageRequest page = PageRequest.of(limit, after);
		Cursor cursor = page.decodeCursor(1);
		if (cursor != null && cursor.number(0) < 0) {
			throw ApiException.badRequest("invalid_cursor", "The cursor is not one this API issued");
		}
		// Without a cursor the feed starts at the oldest event kept: everything up to the retention mark is gone.
		long position = cursor == null ? outbox.prunedThrough() : cursor.number(0);
		Set<String> wanted = types(types);
		Duration wait = waitOf(waitSeconds);
		long deadline = System.nanoTime() + wait.toNanos();
		try {
			while (true) {
				long seen = signal.version();
				sequencer.catchUp();
				// Read before the events: every event up to this committed head is visible to the query that follows.
				long head = outbox.head();
				List<Outbox.FeedRow> rows = outbox.feed(owner, position, wanted, page.limit());
				long left = deadline - System.nanoTime();
				if (!rows.isEmpty() || left <= 0) {
					// After the read: an expiry that the read missed has committed its mark by now.
					if (cursor != null && position < outbox.prunedThrough()) {
						throw cursorExpired();
					}
					List<JsonNode> items = new ArrayList<>(rows.size());
					rows.forEach(row -> items.add(json.readTree(row.body())));
					long last = rows.isEmpty() ? position : rows.getLast().position();
					// A page that is not full read everything of the caller's up to the head: the cursor moves on to it,
					// so an idle consumer's cursor stays young and never falls behind the retention mark.
					long next = rows.size() < page.limit() ? Math.max(last, head) : last;
					return new FeedPage(items, Cursor.of(next).encode());
				}
				signal.await(seen, Duration.ofNanos(Math.min(left, RECHECK.toNanos())));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for changes", ex);
		}
	}

	/**
	 * A cursor below the retention mark may have missed expired events: the consumer must know, not skip them
	 * silently.
	 */
	private ApiException cursorExpired() {
		return new ApiException(HttpStatus.GONE, "cursor_expired", "Cursor expired", "Events after this cursor "
				+ "expired (they are kept " + retention.toDays() + " days); read again without after, from the oldest "
				+ "event kept, and reconcile from the histories");
	}

	static Set<String> types(@Nullable String types) {
		Set<String> wanted = new LinkedHashSet<>();
		if (types == null || types.isBlank()) {
			return wanted;
		}
		for (String type : types.split(",")) {
			String trimmed = type.strip();
			if (!trimmed.isEmpty()) {
				wanted.add(trimmed);
			}
		}
		List<String> unknown = wanted.stream().filter(type -> !EventTypes.ALL.contains(type)).toList();
		if (!unknown.isEmpty()) {
			throw validation("types", "unknown event type(s) " + String.join(", ", unknown) + "; known: "
					+ String.join(", ", EventTypes.ALL));
		}
		return wanted;
	}

	private static Duration waitOf(@Nullable Integer seconds) {
		if (seconds == null) {
			return Duration.ZERO;
		}
		if (seconds < 0 || seconds > MAX_WAIT.toSeconds()) {
			throw validation("wait", "must be between 0 and " + MAX_WAIT.toSeconds() + " seconds");
		}
		return Duration.ofSeconds(seconds);
	}

	static ApiException validation(String field, String message) {
		return new ApiException(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed",
				field + " " + message).with("errors", List.of(FieldError.of(field, message)));
	}
}
