-- The Eye: applications, event types, the intake queue, the event store (partitioned by time) and failed events.

create table eye_applications (
    id         uuid primary key,
    name       text not null unique,
    created_at timestamptz not null
);
-- Listing applications newest first, keyset on (created_at, id).
create index eye_applications_created on eye_applications (created_at, id);

create table eye_event_types (
    category   text not null,
    name       text not null,
    schema     jsonb not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    primary key (category, name)
);

-- Dedup forever: written at intake in the same transaction as the queue row. The event store is partitioned by time,
-- and a unique constraint there would have to include the timestamp, so uniqueness of (application, id) lives here.
create table eye_event_ids (
    application_id uuid not null,
    id             uuid not null,
    primary key (application_id, id)
);

-- The intake queue: events accepted (durable) but not yet validated. Workers claim the oldest rows with
-- FOR UPDATE SKIP LOCKED and delete them in the transaction that stores them.
create table eye_intake (
    seq            bigint generated always as identity primary key,
    application_id uuid not null,
    id             uuid not null,
    session_id     uuid not null,
    category       text not null,
    name           text not null,
    occurred_at    timestamptz not null,
    data           jsonb not null,
    received_at    timestamptz not null
);

-- Valid events. Monthly partitions on occurred_at; the default partition catches events from months that have no
-- partition (e.g. back-filled history). The worker creates partitions ahead of time.
create table eye_events (
    application_id uuid not null,
    id             uuid not null,
    session_id     uuid not null,
    category       text not null,
    name           text not null,
    occurred_at    timestamptz not null,
    data           jsonb not null,
    received_at    timestamptz not null,
    stored_at      timestamptz not null
) partition by range (occurred_at);
-- By session, in order of occurrence.
create index eye_events_session on eye_events (session_id, occurred_at, id);
-- By category (and name) within a time range.
create index eye_events_category on eye_events (category, name, occurred_at, id);
-- By time range alone, and the keyset order of every list.
create index eye_events_time on eye_events (occurred_at, id);
-- By application within a time range.
create index eye_events_application on eye_events (application_id, occurred_at, id);
-- By id.
create index eye_events_id on eye_events (id);

create table eye_events_default partition of eye_events default;

do $$
declare
    month date := date_trunc('month', now() - interval '1 month');
begin
    for i in 0..4 loop
        execute format('create table if not exists %I partition of eye_events for values from (%L) to (%L)',
                       'eye_events_' || to_char(month, 'YYYY_MM'), month, month + interval '1 month');
        month := month + interval '1 month';
    end loop;
end $$;

-- Events that failed validation, with why, the validator's messages and the event as it was accepted.
create table eye_failed_events (
    application_id uuid not null,
    id             uuid not null,
    session_id     uuid not null,
    category       text not null,
    name           text not null,
    occurred_at    timestamptz not null,
    data           jsonb not null,
    received_at    timestamptz not null,
    reason         text not null check (reason in ('schema_violation', 'timestamp_in_future', 'unknown_type')),
    messages       jsonb not null,
    raw            json not null,  -- json, not jsonb: keeps the fields in the order sent
    failed_at      timestamptz not null,
    primary key (application_id, id)
);
-- Failed events newest first, by reason; keyset on (failed_at, id).
create index eye_failed_reason on eye_failed_events (reason, failed_at, id);
create index eye_failed_time on eye_failed_events (failed_at, id);
create index eye_failed_id on eye_failed_events (id);
-- Stats of failures by occurrence time.
create index eye_failed_occurred on eye_failed_events (occurred_at);

-- The three example types of the brief (draft 2020-12).
insert into eye_event_types (category, name, schema, created_at, updated_at) values
('page interaction', 'pageview', '{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {"host": {"type": "string", "minLength": 1}, "path": {"type": "string"}},
  "required": ["host", "path"]
}', now(), now()),
('page interaction', 'cta click', '{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {"host": {"type": "string", "minLength": 1}, "path": {"type": "string"},
                 "element": {"type": "string", "minLength": 1}},
  "required": ["host", "path", "element"]
}', now(), now()),
('form interaction', 'submit', '{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "host": {"type": "string", "minLength": 1},
    "path": {"type": "string"},
    "form": {"type": "object",
             "properties": {"first_name": {"type": "string"}, "last_name": {"type": "string"}},
             "required": ["first_name", "last_name"]}
  },
  "required": ["host", "path", "form"]
}', now(), now());
