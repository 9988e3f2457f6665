-- Feed positions are handed out after the commit, by one sequencing round at a time (Outbox#sequence), instead of by
-- each writing transaction holding the head row's lock through its commit: writers no longer take turns for the
-- flush of their commit (docs/webhooks.md, "The cursor guarantee").

-- False for events that are not changes (webhook.test) and for those retention took off the feed.
alter table webhook_events add column in_feed boolean not null default true;
update webhook_events set in_feed = false where position is null;
-- When the writer appended the event: clock_timestamp() as its transaction's last statement, after every lock it took,
-- so a later writer of the same wallet always has a later time; ordinal orders one transaction's events.
alter table webhook_events add column written_at timestamptz;
alter table webhook_events add column ordinal int not null default 0;
-- The events waiting for a position, in the order they get one.
create index webhook_events_unsequenced on webhook_events (written_at, ordinal, id) where position is null and in_feed;
