-- The Eye in the browser: publishable keys locked to their origins, and where each event was sent from.

-- A publishable key is public by design (it sits in every page that embeds the tracker), so it is stored as it is
-- and shown again in the console; what protects it is that it can only send events, only from its origins.
create table eye_publishable_keys (
    id              uuid primary key,
    application_id  uuid not null references eye_applications (id),
    key             text not null unique,
    allowed_origins text[] not null,
    created_at      timestamptz not null,
    revoked_at      timestamptz
);
-- An application's keys, newest first.
create index eye_publishable_keys_application on eye_publishable_keys (application_id, created_at, id);

-- What the server knows about where an event came from (for browser events: origin and user agent); null for events
-- sent with a secret key. Adding a nullable column without default rewrites no rows, not even in the partitions.
alter table eye_intake add column context jsonb;
alter table eye_events add column context jsonb;
