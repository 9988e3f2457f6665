package io.walleye.webhooks.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.walleye.identity.Principal;
import io.walleye.platform.ConditionalOnRole;
import io.walleye.platform.Role;
import io.walleye.webhooks.ChangeFeed;

/** The change feed: the caller's events in commit order after a cursor, with long polling. */
@RestController
@ConditionalOnRole(Role.API)
@PreAuthorize("hasAnyRole('CUSTOMER', 'BUSINESS', 'OPERATOR')")
@Tag(name = "Changes", description = "The change feed: every event in commit order, to catch up from a cursor")
class ChangeController {

	private final ChangeFeed feed;

	ChangeController(ChangeFeed feed) {
		this.feed = feed;
	}

	/** An event as the feed lists it and a webhook delivers it (for the API document). */
	@Schema(name = "WebhookEvent")
	record EventDoc(UUID id, String type, Instant createdAt,
			@Schema(description = "the event's data, by type (docs/webhooks.md)") tools.jackson.databind.JsonNode data) {
	}

	@Schema(name = "ChangePage")
	record ChangePageDoc(List<EventDoc> items,
			@Schema(description = "where to read on from; never null, also when items is empty") String nextCursor) {
	}

	@GetMapping("/api/v1/changes")
	@Operation(summary = "Events after the cursor, oldest first in commit order: a customer's and a business's own, "
			+ "an operator's all; wait (seconds, up to 30) long-polls when nothing is new")
	@ApiResponse(responseCode = "200", description = "A page of events and the cursor to read on from",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = ChangePageDoc.class)))
	@ApiResponse(responseCode = "410", description = "cursor_expired: events after the cursor were deleted after the "
			+ "retention period (walleye.webhooks.retention, 30 days); read again without after",
			content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
	ChangeFeed.FeedPage changes(@AuthenticationPrincipal Principal caller,
			@Parameter(description = "next_cursor of the previous page; absent: from the oldest event")
			@RequestParam(required = false) @Nullable String after,
			@Parameter(description = "comma list of event types") @RequestParam(required = false) @Nullable String types,
			@RequestParam(required = false) @Nullable Integer limit,
			@Parameter(description = "seconds to wait for an event when none is new (0 to 30)")
			@RequestParam(required = false) @Nullable Integer wait) {
		return feed.read(caller, after, types, limit, wait);
	}
}
