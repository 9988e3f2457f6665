-- The Kafka transport: a record that cannot be parsed becomes a failed event with reason 'unreadable' (its id derived
-- from topic, partition and offset; application and session the nil UUID when they could not be read).
alter table eye_failed_events drop constraint eye_failed_events_reason_check;
alter table eye_failed_events add constraint eye_failed_events_reason_check
    check (reason in ('schema_violation', 'timestamp_in_future', 'unknown_type', 'unreadable'));
