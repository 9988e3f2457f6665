package io.walleye.wallet.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.walleye.identity.Principal;
import io.walleye.platform.ApiException;
import io.walleye.platform.DatabaseFault;
import io.walleye.platform.Problems;
import io.walleye.wallet.Outcome;
import io.walleye.wallet.WalletProperties;
import io.walleye.wallet.persistence.IdempotencyKeys;

/**
 * Runs a money movement at most once per {@code Idempotency-Key}. The key is claimed inside the movement's own
 * transaction before anything else, so the claim, the operation and the stored response commit together: a concurrent
 * retry blocks on the claim and then replays, and a crash leaves neither. Outcomes that change nothing (validation
 * errors, 404, 409, 422) roll back and are not stored, so a retry re-evaluates them.
 */
@Component
class IdempotentExecution {

	static final String KEY_HEADER = "Idempotency-Key";

	static final String REPLAYED_HEADER = "Idempotent-Replayed";

	private static final String INSUFFICIENT_FUNDS = "The wallet's available balance does not cover the amount; the attempt is recorded";

	private static final String DUPLICATE_INVOICE = "This invoice was already charged or held; see operation_id";

	private final IdempotencyKeys keys;

	private final TransactionTemplate transaction;

	private final JsonMapper json;

	private final WalletProperties properties;

	private final Clock clock;

	IdempotentExecution(IdempotencyKeys keys, PlatformTransactionManager transactions, JsonMapper json,
			WalletProperties properties, Clock clock) {
		this.keys = keys;
		this.transaction = new TransactionTemplate(transactions);
		this.json = json;
		this.properties = properties;
		this.clock = clock;
	}

	private record Reply(int status, String contentType, String body, boolean replayed) {

		ResponseEntity<String> toResponse() {
			ResponseEntity.BodyBuilder response = ResponseEntity.status(status)
				.contentType(MediaType.parseMediaType(contentType));
			if (replayed) {
				response.header(REPLAYED_HEADER, "true");
			}
			return response.body(body);
		}
	}

	ResponseEntity<String> run(Principal caller, @Nullable String key, String method, String path, Object request,
			Supplier<Outcome> movement) {
		return execute(caller, key, method, path, request, () -> render(movement.get()));
	}

	/**
	 * Runs a batch of charges and answers 200 with one outcome per item, in order: {@code status} 201 and the
	 * {@code operation}, or the problem a single charge would have answered (its {@code status}, {@code code} and
	 * members such as {@code operation_id} or {@code errors}). With a key the batch is stored and replayed whole.
	 */
	ResponseEntity<String> runBatch(Principal caller, @Nullable String key, String method, String path, Object request,
			Supplier<List<Object>> batch) {
		return execute(caller, key, method, path, request, () -> {
			List<Map<String, Object>> items = batch.get().stream().map(this::item).toList();
			return new Reply(200, MediaType.APPLICATION_JSON_VALUE, json.writeValueAsString(Map.of("items", items)),
					false);
		});
	}

	private ResponseEntity<String> execute(Principal caller, @Nullable String key, String method, String path, Object request,
			Supplier<Reply> work) {
		if (key == null) {
			return work.get().toResponse();
		}
		if (key.isBlank() || key.length() > 255) {
			throw ApiException.badRequest("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 characters");
		}
		byte[] hash = hash(method + " " + path + "\n" + json.writeValueAsString(request));
		try {
			Reply reply = transaction.execute(status -> {
				if (!keys.claim(caller.id(), key, hash, clock.instant(), properties.idempotencyWait())) {
					return replay(caller, key, hash);
				}
				Reply fresh = work.get();
				if (fresh.status() == 200 || fresh.status() == 201 || fresh.status() == 402) {
					keys.complete(caller.id(), key, fresh.status(), fresh.contentType(), fresh.body());
				}
				else {
					status.setRollbackOnly();
				}
				return fresh;
			});
			return reply.toResponse();
		}
		catch (PessimisticLockingFailureException ex) {
			throw inFlight();
		}
	}

	private Reply replay(Principal caller, String key, byte[] hash) {
		IdempotencyKeys.Stored stored = keys.find(caller.id(), key).orElseThrow(IdempotentExecution::inFlight);
		if (!Arrays.equals(stored.requestHash(), hash)) {
			throw ApiException.unprocessable("idempotency_key_reused",
					"This Idempotency-Key was used with a different request; use a new key for a new request");
		}
		if (stored.status() == null || stored.body() == null || stored.contentType() == null) {
			throw inFlight();
		}
		return new Reply(stored.status(), stored.contentType(), stored.body(), true);
	}

	private static ApiException inFlight() {
		return ApiException.conflict("idempotency_in_flight",
				"A request with this Idempotency-Key is still being processed; retry shortly");
	}

	private Reply render(Outcome outcome) {
		return switch (outcome) {
			case Outcome.Accepted accepted -> new Reply(201, MediaType.APPLICATION_JSON_VALUE,
					json.writeValueAsString(accepted.operation()), false);
			case Outcome.Rejected rejected -> problem(HttpStatus.PAYMENT_REQUIRED, "insufficient_funds",
					"Payment required", INSUFFICIENT_FUNDS,
					Map.of("operation_id", rejected.operation().id().toString(), "operation", rejected.operation()));
			case Outcome.DuplicateInvoice duplicate -> problem(HttpStatus.CONFLICT, "duplicate_invoice", "Conflict",
					DUPLICATE_INVOICE,
					Map.of("operation_id", duplicate.originalOperationId().toString()));
			case Outcome.Held held -> new Reply(held.created() ? 201 : 200, MediaType.APPLICATION_JSON_VALUE,
					json.writeValueAsString(held.hold()), false);
		};
	}

	private Reply problem(HttpStatus status, String code, String title, String detail, Map<String, Object> extra) {
		Map<String, Object> body = problemBody(status, code, title, detail, extra);
		String requestId = MDC.get(Problems.REQUEST_ID_MDC_KEY);
		if (requestId != null) {
			body.put("request_id", requestId);
		}
		return new Reply(status.value(), MediaType.APPLICATION_PROBLEM_JSON_VALUE, json.writeValueAsString(body),
				false);
	}

	/** One item of a batch's answer: what a single charge would have answered, as a member of the list. */
	private Map<String, Object> item(Object result) {
		return switch (result) {
			case Outcome.Accepted accepted -> {
				Map<String, Object> item = new LinkedHashMap<>();
				item.put("status", 201);
				item.put("operation", accepted.operation());
				yield item;
			}
			case Outcome.Rejected rejected -> problemBody(HttpStatus.PAYMENT_REQUIRED, "insufficient_funds",
					"Payment required", INSUFFICIENT_FUNDS, Map.of("operation_id", rejected.operation().id().toString(),
							"operation", rejected.operation()));
			case Outcome.DuplicateInvoice duplicate -> problemBody(HttpStatus.CONFLICT, "duplicate_invoice",
					"Conflict", DUPLICATE_INVOICE,
					Map.of("operation_id", duplicate.originalOperationId().toString()));
			case ApiException refused -> problemBody(refused.status(), refused.code(), refused.title(),
					refused.getMessage(), refused.properties());
			case RuntimeException failed -> {
				ApiException fault = DatabaseFault.of(failed) instanceof DatabaseFault known ? known.problem()
						: new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
								"Internal server error", "This charge failed unexpectedly; it was not made");
				yield item(fault);
			}
			default -> throw new IllegalStateException("not a charge's outcome: " + result.getClass());
		};
	}

	private static Map<String, Object> problemBody(HttpStatus status, String code, String title, String detail,
			Map<String, Object> extra) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", URI.create(Problems.TYPE_BASE + code.replace('_', '-')).toString());
		body.put("title", title);
		body.put("status", status.value());
		body.put("detail", detail);
		body.put("code", code);
		body.putAll(new java.util.TreeMap<>(extra));
		return body;
	}

	private static byte[] hash(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
