-- Idempotency keys are kept for walleye.wallet.idempotency-retention (default 24 h) and then deleted by the worker,
-- oldest first: this index finds them without reading the table.
create index idempotency_keys_created on idempotency_keys (created_at);
