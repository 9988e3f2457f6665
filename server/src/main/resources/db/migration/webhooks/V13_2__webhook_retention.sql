-- Events are kept for walleye.webhooks.retention (default 30 days) with their deliveries and attempts, then deleted by
-- the worker, oldest first (docs/webhooks.md, "Retention"): this index finds them without reading the table.
create index webhook_events_created on webhook_events (created_at);
-- An event's deliveries: whether one is still pending (such an event is kept), and deleting them with it.
create index webhook_deliveries_event on webhook_deliveries (event_id);

-- The highest feed position deleted so far: a cursor before it may have missed events, and reading after it answers
-- 410 cursor_expired. A row of its own, not the feed head's, so that deleting never waits for the head's lock, which
-- every emitting transaction holds until it commits.
create table webhook_feed_retention (
    id             int primary key check (id = 1),
    pruned_through bigint not null
);
insert into webhook_feed_retention (id, pruned_through) values (1, 0);
