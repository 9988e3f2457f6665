-- Identity: operators, bearer credentials (API keys and access tokens, hashed), sign-in throttling.

create table operators (
    id            uuid primary key,
    username      text not null unique,
    password_hash text not null,
    created_at    timestamptz not null
);

create table credentials (
    id             uuid primary key,
    kind           text not null check (kind in ('api_key', 'access_token')),
    principal_type text not null check (principal_type in ('operator', 'customer', 'business', 'application')),
    principal_id   uuid not null,
    prefix         text not null,
    secret_hash    bytea not null,
    created_at     timestamptz not null,
    expires_at     timestamptz,
    revoked_at     timestamptz
);
-- Authentication looks a secret up by its hash.
create unique index credentials_secret_hash on credentials (secret_hash);
-- Listing a principal's keys.
create index credentials_principal on credentials (principal_type, principal_id, created_at);

create table login_throttle (
    username     text primary key,
    failures     int not null,
    locked_until timestamptz,
    updated_at   timestamptz not null
);
