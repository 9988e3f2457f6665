-- Token buckets shared by every node when walleye.rate-limit.store=postgres (Bucket4j's PostgreSQL proxy, advisory
-- locks). One row per caller key and policy; the state is Bucket4j's own serialisation.
CREATE TABLE rate_limit_buckets (
    id         text PRIMARY KEY,
    state      bytea,
    -- epoch milliseconds after which the bucket is full again; RateLimits deletes such rows once a minute
    expires_at bigint,
    -- the advisory-lock id of the row's key, so the clean-up can skip buckets in use
    lock_id    bigint
);

-- for that delete (WHERE expires_at < now)
CREATE INDEX rate_limit_buckets_expires_at ON rate_limit_buckets (expires_at);
