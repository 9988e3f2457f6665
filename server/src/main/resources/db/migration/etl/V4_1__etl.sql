-- GitHub repositories ETL. Stages hand work to each other through tables, so a worker killed at any point leaves a
-- state the next worker continues from: etl_segments (what extract still has to fetch) → etl_pages (fetched pages,
-- stage 'extracted') → etl_staged (typed rows, page stage 'transformed') → github_repositories (page stage 'loaded').
-- A page keeps its body until it is loaded (load reads the records' raw JSON from it), then the body is dropped.

create table etl_runs (
    id                uuid primary key,
    status            text not null check (status in ('queued', 'running', 'waiting_rate_limit', 'succeeded', 'failed', 'cancelled')),
    source            jsonb not null,
    max_repositories  integer,
    -- Repositories the source holds, once GitHub told (search total_count, or the listing's last page): progress.
    expected          integer,
    pages             integer not null default 0,
    extracted         integer not null default 0,
    transformed       integer not null default 0,
    loaded            integer not null default 0,
    inserted          integer not null default 0,
    updated           integer not null default 0,
    unchanged         integer not null default 0,
    rejected          integer not null default 0,
    not_modified      integer not null default 0,
    extract_done      boolean not null default false,
    rate_remaining    integer,
    rate_reset_at     timestamptz,
    waiting_until     timestamptz,
    error             text,
    lease_owner       text,
    lease_until       timestamptz,
    created_at        timestamptz not null,
    started_at        timestamptz,
    finished_at       timestamptz
);
-- Runs list (newest first, keyset on created_at, id) and the workers' claim of unfinished runs.
create index etl_runs_created on etl_runs (created_at desc, id desc);
create index etl_runs_open on etl_runs (created_at) where status in ('queued', 'running', 'waiting_rate_limit');
create index etl_runs_finished on etl_runs (finished_at) where finished_at is not null;

-- Extract's frontier: one row per request chain (an org/user listing, or one created: range of a search). next_url
-- advances in the same transaction that stores the page it fetched.
create table etl_segments (
    run_id     uuid not null references etl_runs (id) on delete cascade,
    seq        integer not null,
    query      text,
    next_url   text,
    done       boolean not null default false,
    primary key (run_id, seq)
);

create table etl_pages (
    run_id      uuid not null references etl_runs (id) on delete cascade,
    page_no     integer not null,
    url         text not null,
    http_status integer not null,
    body        text,
    stage       text not null check (stage in ('extracted', 'transformed', 'loaded')),
    -- The page's validator, saved to etl_etags only once its rows are loaded: a later 304 must never skip rows
    -- that a cancelled or failed run fetched but did not load.
    etag        text,
    next_url    text,
    total_count integer,
    items       integer not null default 0,
    primary key (run_id, page_no)
);
create index etl_pages_pending on etl_pages (run_id, page_no) where stage <> 'loaded';
-- Page bodies live only until their page is loaded: not worth compressing (pglz costs extract more than the IO).
alter table etl_pages alter column body set storage external;

-- Typed rows of a run, one per repository (duplicates within a run collapse on the key), waiting for load.
create table etl_staged (
    run_id            uuid not null,
    github_id         bigint not null,
    page_no           integer not null,
    full_name         text not null,
    owner_login       text not null,
    owner_type        text,
    name              text not null,
    description       text,
    html_url          text,
    homepage          text,
    language          text,
    topics            text[] not null,
    license_spdx      text,
    stargazers_count  integer not null,
    forks_count       integer not null,
    open_issues_count integer not null,
    watchers_count    integer not null,
    default_branch    text,
    fork              boolean not null,
    archived          boolean not null,
    size_kb           integer not null,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    pushed_at         timestamptz,
    -- No raw JSON here: load takes each record's raw JSON from its page's body, so it is written once.
    primary key (run_id, github_id)
);
create index etl_staged_page on etl_staged (run_id, page_no);

create table etl_rejects (
    id         bigint generated always as identity primary key,
    run_id     uuid not null references etl_runs (id) on delete cascade,
    page_no    integer not null,
    reason     text not null,
    record     text not null,
    created_at timestamptz not null
);
create index etl_rejects_run on etl_rejects (run_id, id);

-- Validators of pages fetched before, across runs: a 304 to If-None-Match costs no quota and changes nothing, and
-- what the page pointed to (next page, search total) is remembered here because a 304 carries no body.
create table etl_etags (
    url         text primary key,
    etag        text not null,
    next_url    text,
    total_count integer,
    items       integer not null,
    fetched_at  timestamptz not null
);

-- Scheduled runs fire once per cron instant even with several workers: the first to insert the row starts the run.
create table etl_schedule_fires (
    schedule   text not null,
    fire_at    timestamptz not null,
    run_id     uuid not null,
    primary key (schedule, fire_at)
);

create table github_repositories (
    github_id         bigint primary key,
    full_name         text not null,
    owner_login       text not null,
    owner_type        text,
    name              text not null,
    description       text,
    html_url          text,
    homepage          text,
    language          text,
    topics            text[] not null default '{}',
    license_spdx      text,
    stargazers_count  integer not null check (stargazers_count >= 0),
    forks_count       integer not null check (forks_count >= 0),
    open_issues_count integer not null,
    watchers_count    integer not null,
    default_branch    text,
    fork              boolean not null,
    archived          boolean not null,
    size_kb           integer not null,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    pushed_at         timestamptz,
    raw               jsonb not null,
    loaded_at         timestamptz not null,
    last_run_id       uuid
);
-- Lookup by name, lists by stars / updated (keyset with github_id), filters by language and owner.
create index github_repositories_full_name on github_repositories (lower(full_name));
create index github_repositories_stars on github_repositories (stargazers_count desc, github_id desc);
create index github_repositories_updated on github_repositories (updated_at desc, github_id desc);
create index github_repositories_language on github_repositories (language, stargazers_count desc, github_id desc);
create index github_repositories_owner on github_repositories (lower(owner_login), stargazers_count desc, github_id desc);

-- Stars and forks as each run saw them, for a repository's history chart.
create table github_repository_snapshots (
    github_id        bigint not null,
    run_id           uuid not null,
    captured_at      timestamptz not null,
    stargazers_count integer not null,
    forks_count      integer not null,
    primary key (github_id, run_id)
);
-- The overview's "rows loaded per minute".
create index github_repository_snapshots_captured on github_repository_snapshots (captured_at);
