-- Webhooks and the change feed: the outbox of events (written in the transaction of the change it describes), the
-- endpoints that subscribe to them, and the deliveries with each attempt.

-- The feed's head: every transaction that writes events takes this row's lock as its last statement and holds it
-- until it commits, so feed positions are handed out in commit order (docs/webhooks.md, "The cursor guarantee").
create table webhook_feed_head (
    id       int primary key check (id = 1),
    position bigint not null
);
insert into webhook_feed_head (id, position) values (1, 0);

create table webhook_events (
    id         uuid primary key,
    -- Position in the change feed; null for events that are not changes (webhook.test).
    position   bigint unique,
    type       text not null,
    -- The customer or business whose feed shows it; null: operators only.
    owner_id   uuid,
    -- The whole event as delivered ({"id","type","created_at","data"}): the same bytes on every attempt.
    body       text not null,
    created_at timestamptz not null
);
-- A customer's or business's feed: its events after a position.
create index webhook_events_owner_feed on webhook_events (owner_id, position) where position is not null;
-- (An operator's feed reads the unique index on position.)

create table webhook_endpoints (
    id                   uuid primary key,
    owner_type           text not null check (owner_type in ('customer', 'business', 'operator')),
    -- The customer or business; for operators' endpoints the operator who created it (every operator manages them).
    owner_id             uuid not null,
    url                  text not null,
    description          text,
    -- Empty: every type the owner may see.
    event_types          text[] not null,
    enabled              boolean not null,
    disabled_reason      text,
    secret               text not null,
    -- During a rotation the previous secret signs too, until previous_expires_at.
    previous_secret      text,
    previous_expires_at  timestamptz,
    consecutive_failures int not null default 0,
    created_at           timestamptz not null,
    updated_at           timestamptz not null
);
-- An owner's endpoints, listed by (created_at, id); also the fan-out's match on the event's owner.
create index webhook_endpoints_owner on webhook_endpoints (owner_id, created_at, id);
-- The fan-out's match of operators' endpoints, and the console's list of every endpoint.
create index webhook_endpoints_type on webhook_endpoints (owner_type, created_at, id);

create table webhook_deliveries (
    id               uuid primary key,
    endpoint_id      uuid not null references webhook_endpoints (id) on delete cascade,
    event_id         uuid not null references webhook_events (id),
    status           text not null check (status in ('pending', 'delivered', 'failed')),
    attempts         int not null default 0,
    -- Pending: when the next attempt is due. A worker that claims it moves this to the end of its lease, so a
    -- delivery whose worker died is due again when the lease ends.
    next_attempt_at  timestamptz not null,
    claim            uuid,
    last_status_code int,
    last_error       text,
    created_at       timestamptz not null,
    finished_at      timestamptz
);
-- Workers claim due deliveries (FOR UPDATE SKIP LOCKED) in due order.
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
-- An endpoint's deliveries, newest first.
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, created_at desc, id desc);
-- The console's list of every delivery, newest first.
create index webhook_deliveries_created on webhook_deliveries (created_at desc, id desc);

create table webhook_attempts (
    delivery_id   uuid not null references webhook_deliveries (id) on delete cascade,
    attempt       int not null,
    attempted_at  timestamptz not null,
    status_code   int,
    duration_ms   int not null,
    -- The first 1 KiB of the response body.
    response_body text,
    error         text,
    primary key (delivery_id, attempt)
);
