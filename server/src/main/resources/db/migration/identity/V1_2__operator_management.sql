-- Operators manage each other: a disabled operator can neither sign in nor use its tokens; rows are kept so that
-- usernames are never reused by someone else.
alter table operators add column disabled_at timestamptz;
alter table operators add column password_changed_at timestamptz;
-- Listing operators: keyset on (created_at, id).
create index operators_created on operators (created_at, id);
