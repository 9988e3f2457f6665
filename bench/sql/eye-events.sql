-- Seeds a large event store straight into eye_events, for the eye-query benchmark: sending tens of millions of events
-- through the API and the validating worker would take hours on two cores. The rows are the ones the worker writes
-- (same columns, data valid against the registered schema, received/stored shortly after occurrence); they go into
-- the monthly partitions the worker would have created.
--
--   psql -h 127.0.0.1 -p <embedded port> -U postgres -v events=10000000 -f bench/sql/eye-events.sql
--
-- :events  how many events; 20 per session, sessions spread evenly over the 90 days before now (minus one hour).
-- Session n (1-based) has id md5('eye-bench-session-' || n)::uuid, so the benchmark can name seeded sessions without
-- asking the server. Every session belongs to one of 3 applications ("eye-bench-1..3"). Each session's events are
-- 15 s apart; event k of a session is a pageview, a cta click, a form submit or a media play/pause (3 categories,
-- 5 names). The dedup table eye_event_ids is not filled: the query paths never read it (it only guards intake).
\set ON_ERROR_STOP on
\timing on

-- The partitions the worker would have created for the seeded months (the migration only creates last month on).
do $$
declare
    month date := date_trunc('month', now() - interval '91 days');
begin
    while month <= now() loop
        execute format('create table if not exists %I partition of eye_events for values from (%L) to (%L)',
                       'eye_events_' || to_char(month, 'YYYY_MM'), month, month + interval '1 month');
        month := month + interval '1 month';
    end loop;
end $$;

-- A third category, so that "category" filters select a third of the store rather than half.
insert into eye_event_types (category, name, schema, created_at, updated_at) values
('media interaction', 'play', '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
  "properties": {"host": {"type": "string", "minLength": 1}, "path": {"type": "string"}, "media": {"type": "string"}},
  "required": ["host", "path", "media"]}', now(), now()),
('media interaction', 'pause', '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
  "properties": {"host": {"type": "string", "minLength": 1}, "path": {"type": "string"}, "media": {"type": "string"}},
  "required": ["host", "path", "media"]}', now(), now())
on conflict do nothing;

insert into eye_applications (id, name, created_at)
select md5('eye-bench-app-' || a)::uuid, 'eye-bench-' || a, now() - interval '100 days' from generate_series(1, 3) a
on conflict do nothing;

begin;
set local synchronous_commit = off;  -- seeding only; the benchmark itself reads
-- Event i belongs to session i % sessions and is its event number i / sessions: the rows arrive in 20 sweeps over
-- the time range, so one session's events lie on ~20 different heap pages, as they would after interleaved intake.
insert into eye_events (application_id, id, session_id, category, name, occurred_at, data, received_at, stored_at)
select md5('eye-bench-app-' || (1 + s % 3))::uuid,
       gen_random_uuid(),
       md5('eye-bench-session-' || (s + 1))::uuid,
       case when k % 10 in (8) then 'form interaction' when k % 10 in (6, 7) then 'media interaction'
            else 'page interaction' end,
       case when k % 10 = 8 then 'submit' when k % 10 = 6 then 'play' when k % 10 = 7 then 'pause'
            when k % 10 in (2, 5, 9) then 'cta click' else 'pageview' end,
       t,
       case when k % 10 = 8 then jsonb_build_object('host', 'shop' || (s % 3) || '.example', 'path', '/checkout',
                                     'form', jsonb_build_object('first_name', 'Ann', 'last_name', 'Lee' || s % 100))
            when k % 10 in (6, 7) then jsonb_build_object('host', 'shop' || (s % 3) || '.example',
                                     'path', '/video/' || s % 50, 'media', 'intro.mp4')
            when k % 10 in (2, 5, 9) then jsonb_build_object('host', 'shop' || (s % 3) || '.example',
                                     'path', '/p/' || (s + k) % 1000, 'element', 'buy button')
            else jsonb_build_object('host', 'shop' || (s % 3) || '.example', 'path', '/p/' || (s + k) % 1000) end,
       t + interval '200 milliseconds',
       t + interval '400 milliseconds'
  from (select i, i % sessions as s, i / sessions as k,
               now() - interval '90 days' + (interval '90 days' - interval '1 hour') * ((i % sessions)::float8 / sessions)
                   + interval '15 seconds' * (i / sessions) as t
          from (select greatest(1, :events / 20) as sessions) p, generate_series(0, :events - 1) as i) e;
commit;

analyze eye_events;
select count(*) as events from eye_events;
