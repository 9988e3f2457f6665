package io.walleye.webhooks;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.walleye.identity.Principal;
import io.walleye.platform.ApiException;
import io.walleye.platform.Change;
import io.walleye.platform.Cursor;
import io.walleye.platform.FieldError;
import io.walleye.platform.Ids;
import io.walleye.platform.Page;
import io.walleye.platform.PageRequest;
import io.walleye.webhooks.domain.Signatures;
import io.walleye.webhooks.domain.UrlPolicy;
import io.walleye.webhooks.persistence.Deliveries;
import io.walleye.webhooks.persistence.Endpoints;
import io.walleye.webhooks.persistence.Outbox;

/**
 * Webhook endpoints and their deliveries, each managed by its owner: a customer or business its own, operators
 * (together) theirs; the console's operator views see every one.
 */
@Service
public class WebhookEndpoints {

	public static final Set<String> DELIVERY_STATUSES = Set.of("pending", "delivered", "failed");

	private static final int MAX_URL_LENGTH = 2048;

	private final Endpoints endpoints;

	private final Deliveries deliveries;

	private final Outbox outbox;

	private final OutboxRecorder recorder;

	private final UrlPolicy urls;

	private final WebhooksProperties properties;

	private final FeedSignal signal;

	private final Ids ids;

	private final Clock clock;

	WebhookEndpoints(Endpoints endpoints, Deliveries deliveries, Outbox outbox, OutboxRecorder recorder, UrlPolicy urls,
			WebhooksProperties properties, FeedSignal signal, Ids ids, Clock clock) {
		this.endpoints = endpoints;
		this.deliveries = deliveries;
		this.outbox = outbox;
		this.recorder = recorder;
		this.urls = urls;
		this.properties = properties;
		this.signal = signal;
		this.ids = ids;
		this.clock = clock;
	}

	@Transactional
	public CreatedEndpoint create(Principal caller, @Nullable String url, @Nullable List<String> eventTypes,
			@Nullable String description) {
		List<FieldError> errors = new ArrayList<>();
		String checkedUrl = url(url, errors);
		List<String> types = eventTypes(eventTypes, errors);
		description(description, errors);
		failOn(errors);
		refuseIfNotAllowed(checkedUrl);
		Instant now = now();
		String secret = Signatures.newSecret();
		Endpoints.Row row = new Endpoints.Row(ids.next(), ownerType(caller), caller.id(), checkedUrl, description,
				types, true, null, secret, null, null, 0, now, now);
		if (!endpoints.insert(row, properties.maxEndpoints())) {
			throw ApiException.unprocessable("endpoint_limit_reached", "An owner has at most "
					+ properties.maxEndpoints() + " webhook endpoints (operators together); delete one or subscribe an "
					+ "existing endpoint to more event types");
		}
		return CreatedEndpoint.of(view(row), secret);
	}

	public Page<EndpointView> list(Principal caller, PageRequest page) {
		Cursor cursor = page.decodeCursor(2);
		boolean operator = ownerType(caller).equals("operator");
		List<Endpoints.Row> rows = endpoints.page(operator ? "operator" : null, operator ? null : caller.id(),
				cursor == null ? null : cursor.instant(0), cursor == null ? null : cursor.uuid(1), page.fetchSize());
		return Page.of(rows, page.limit(), row -> Cursor.of(row.createdAt(), row.id())).map(WebhookEndpoints::view);
	}

	public EndpointView get(Principal caller, UUID id) {
		return view(owned(caller, id));
	}

	/** Changes what is given; re-enabling clears the failure count and the reason it was disabled. */
	@Transactional
	public EndpointView update(Principal caller, UUID id, @Nullable String url, @Nullable List<String> eventTypes,
			@Nullable String description, @Nullable Boolean enabled) {
		Endpoints.Row row = owned(caller, id);
		List<FieldError> errors = new ArrayList<>();
		String newUrl = url == null ? row.url() : url(url, errors);
		List<String> types = eventTypes == null ? row.eventTypes() : eventTypes(eventTypes, errors);
		description(description, errors);
		failOn(errors);
		if (url != null) {
			refuseIfNotAllowed(newUrl);
		}
		boolean on = enabled == null ? row.enabled() : enabled;
		String reason = on ? null : (enabled == null ? row.disabledReason() : "disabled by its owner");
		endpoints.update(id, newUrl, description == null ? row.description() : description, types, on, reason, now());
		return view(owned(caller, id));
	}

	@Transactional
	public void delete(Principal caller, UUID id) {
		owned(caller, id);
		endpoints.delete(id);
	}

	/** A new secret; the current one keeps signing beside it for the configured overlap (24 h by default). */
	@Transactional
	public RotatedSecret rotate(Principal caller, UUID id) {
		owned(caller, id);
		Instant now = now();
		String secret = Signatures.newSecret();
		Instant until = now.plus(properties.rotationOverlap());
		endpoints.rotate(id, secret, until, now);
		return new RotatedSecret(secret, until);
	}

	/** Sends a {@code webhook.test} event to this endpoint alone (not part of the change feed). */
	public DeliveryView test(Principal caller, UUID id) {
		Endpoints.Row row = owned(caller, id);
		return sendTest(row);
	}

	public Page<DeliveryView> deliveries(Principal caller, UUID endpointId, @Nullable String status,
			PageRequest page) {
		owned(caller, endpointId);
		return deliveryPage(endpointId, status, page);
	}

	/** The event of a delivery once more, as a new delivery with a fresh retry schedule. */
	public DeliveryView redeliver(Principal caller, UUID deliveryId) {
		Deliveries.Row delivery = deliveries.find(deliveryId)
			.orElseThrow(WebhookEndpoints::deliveryNotFound);
		Endpoints.Row endpoint = endpoints.find(delivery.endpointId())
			.filter(row -> mayManage(caller, row))
			.orElseThrow(WebhookEndpoints::deliveryNotFound);
		return redeliver(endpoint, delivery);
	}

	// --- operators (console): every endpoint ---

	public Page<EndpointView> allEndpoints(PageRequest page) {
		Cursor cursor = page.decodeCursor(2);
		List<Endpoints.Row> rows = endpoints.page(null, null, cursor == null ? null : cursor.instant(0),
				cursor == null ? null : cursor.uuid(1), page.fetchSize());
		return Page.of(rows, page.limit(), row -> Cursor.of(row.createdAt(), row.id())).map(WebhookEndpoints::view);
	}

	/** A customer's or business's endpoints (at most 100), for its wallet's page. */
	public List<EndpointView> endpointsOf(UUID ownerId) {
		return endpoints.page(null, ownerId, null, null, 100).stream().map(WebhookEndpoints::view).toList();
	}

	public EndpointView endpoint(UUID id) {
		return view(endpoints.find(id).orElseThrow(WebhookEndpoints::endpointNotFound));
	}

	public Page<DeliveryView> allDeliveries(@Nullable UUID endpointId, @Nullable String status, PageRequest page) {
		return deliveryPage(endpointId, status, page);
	}

	public DeliveryView redeliverAsOperator(UUID deliveryId) {
		Deliveries.Row delivery = deliveries.find(deliveryId).orElseThrow(WebhookEndpoints::deliveryNotFound);
		Endpoints.Row endpoint = endpoints.find(delivery.endpointId()).orElseThrow(WebhookEndpoints::deliveryNotFound);
		return redeliver(endpoint, delivery);
	}

	public Map<String, Long> deliveryCounts() {
		return deliveries.countsByStatus();
	}

	// --- helpers ---

	private DeliveryView sendTest(Endpoints.Row endpoint) {
		requireEnabled(endpoint);
		Outbox.NewEvent event = recorder.event(new Change(EventTypes.WEBHOOK_TEST, null,
				Map.of("endpoint_id", endpoint.id(), "message", "A test event sent from Walleye")));
		UUID delivery = outbox.appendDirect(event, endpoint.id());
		signal.changed();
		return deliveryView(delivery);
	}

	private DeliveryView redeliver(Endpoints.Row endpoint, Deliveries.Row delivery) {
		requireEnabled(endpoint);
		UUID id = deliveries.redeliver(endpoint.id(), delivery.eventId(), now());
		signal.changed();
		return deliveryView(id);
	}

	private DeliveryView deliveryView(UUID id) {
		Deliveries.Row row = deliveries.find(id).orElseThrow(WebhookEndpoints::deliveryNotFound);
		return view(row, deliveries.attempts(List.of(id)).getOrDefault(id, List.of()));
	}

	private Page<DeliveryView> deliveryPage(@Nullable UUID endpointId, @Nullable String status, PageRequest page) {
		if (status != null && !status.isBlank() && !DELIVERY_STATUSES.contains(status)) {
			throw ChangeFeed.validation("status", "must be one of pending, delivered, failed");
		}
		Cursor cursor = page.decodeCursor(2);
		List<Deliveries.Row> rows = deliveries.page(endpointId, status == null || status.isBlank() ? null : status,
				cursor == null ? null : cursor.instant(0), cursor == null ? null : cursor.uuid(1), page.fetchSize());
		Page<Deliveries.Row> cut = Page.of(rows, page.limit(), row -> Cursor.of(row.createdAt(), row.id()));
		Map<UUID, List<Deliveries.Attempt>> attempts = deliveries
			.attempts(cut.items().stream().map(Deliveries.Row::id).toList());
		return cut.map(row -> view(row, attempts.getOrDefault(row.id(), List.of())));
	}

	private static void requireEnabled(Endpoints.Row endpoint) {
		if (!endpoint.enabled()) {
			throw ApiException.conflict("endpoint_disabled",
					"The endpoint is disabled; enable it (PATCH enabled=true) before sending to it");
		}
	}

	private Endpoints.Row owned(Principal caller, UUID id) {
		return endpoints.find(id).filter(row -> mayManage(caller, row)).orElseThrow(WebhookEndpoints::endpointNotFound);
	}

	private static boolean mayManage(Principal caller, Endpoints.Row row) {
		String type = ownerType(caller);
		return row.ownerType().equals(type) && (type.equals("operator") || row.ownerId().equals(caller.id()));
	}

	private static String ownerType(Principal caller) {
		return switch (caller.type()) {
			case CUSTOMER -> "customer";
			case BUSINESS -> "business";
			case OPERATOR -> "operator";
			case APPLICATION -> throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
					"Applications have no webhook endpoints");
		};
	}

	private void refuseIfNotAllowed(String url) {
		urls.refusal(url).ifPresent(reason -> {
			throw ApiException.unprocessable("url_not_allowed", "url " + reason)
				.with("errors", List.of(FieldError.of("url", reason)));
		});
	}

	private static String url(@Nullable String url, List<FieldError> errors) {
		if (url == null || url.isBlank()) {
			errors.add(FieldError.of("url", "is required"));
			return "";
		}
		if (url.length() > MAX_URL_LENGTH) {
			errors.add(FieldError.of("url", "may be at most " + MAX_URL_LENGTH + " characters"));
		}
		return url.strip();
	}

	private static List<String> eventTypes(@Nullable List<String> types, List<FieldError> errors) {
		if (types == null) {
			return List.of();
		}
		Set<String> unique = new LinkedHashSet<>();
		for (String type : types) {
			if (type == null || !EventTypes.ALL.contains(type)) {
				errors.add(FieldError.of("event_types", "unknown event type " + type + "; known: "
						+ String.join(", ", EventTypes.ALL)));
				return List.of();
			}
			unique.add(type);
		}
		return List.copyOf(unique);
	}

	private static void description(@Nullable String description, List<FieldError> errors) {
		if (description != null && description.length() > 255) {
			errors.add(FieldError.of("description", "may be at most 255 characters"));
		}
	}

	private static void failOn(List<FieldError> errors) {
		if (!errors.isEmpty()) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed",
					"The request has invalid fields; see errors")
				.with("errors", errors);
		}
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private static ApiException endpointNotFound() {
		return ApiException.notFound("webhook_endpoint_not_found", "You have no webhook endpoint with this id");
	}

	private static ApiException deliveryNotFound() {
		return ApiException.notFound("webhook_delivery_not_found", "You have no webhook delivery with this id");
	}

	static EndpointView view(Endpoints.Row row) {
		Instant previous = row.previousSecret() == null ? null : row.previousExpiresAt();
		return new EndpointView(row.id(), row.ownerType(), row.ownerId(), row.url(), row.description(),
				row.eventTypes(), row.enabled(), row.disabledReason(), row.consecutiveFailures(), previous,
				row.createdAt(), row.updatedAt());
	}

	static DeliveryView view(Deliveries.Row row, List<Deliveries.Attempt> attempts) {
		return new DeliveryView(row.id(), row.endpointId(), row.eventId(), row.eventType(), row.status(),
				row.attempts(), row.nextAttemptAt(), row.lastStatusCode(), row.lastError(), row.createdAt(),
				row.finishedAt(),
				attempts.stream()
					.map(a -> new DeliveryView.Attempt(a.attempt(), a.attemptedAt(), a.statusCode(), a.durationMs(),
							a.responseBody(), a.error()))
					.toList());
	}
}
