-- Wallet: customers, businesses, wallets (balance projection), the append-only operation log, double-entry postings,
-- each wallet's history entries and idempotency records.

create table customers (
    id         uuid primary key,
    name       text not null,
    email      text not null,
    created_at timestamptz not null
);
-- Duplicate email of the same kind is refused; also serves the console's search by email.
create unique index customers_email on customers (lower(email));

create table businesses (
    id         uuid primary key,
    name       text not null,
    email      text not null,
    created_at timestamptz not null
);
create unique index businesses_email on businesses (lower(email));

create table wallets (
    id         uuid primary key,
    token      text not null unique,
    owner_type text not null check (owner_type in ('customer', 'business')),
    owner_id   uuid not null,
    currency   char(3) not null,
    -- Projection of the postings, updated in the same transaction as the operation that moves it.
    balance    bigint not null default 0 check (balance >= 0),
    created_at timestamptz not null,
    updated_at timestamptz not null
);
-- A caller's wallets.
create index wallets_owner on wallets (owner_id, created_at);
-- A business owns at most one wallet.
create unique index wallets_one_per_business on wallets (owner_id) where owner_type = 'business';

-- Every attempt, accepted or rejected. Never updated nor deleted (trigger below).
create table operations (
    id               uuid primary key,
    type             text not null check (type in ('deposit', 'withdrawal', 'charge', 'refund')),
    status           text not null check (status in ('accepted', 'rejected')),
    reason           text,
    amount           bigint not null check (amount > 0),
    currency         char(3) not null,
    debit_wallet_id  uuid references wallets (id),
    credit_wallet_id uuid references wallets (id),
    business_id      uuid,
    invoice          text,
    description      text,
    charge_id        uuid references operations (id),
    created_at       timestamptz not null
);
-- At most one accepted charge per business and invoice: the database, not the code, is the last word.
create unique index operations_accepted_invoice on operations (business_id, invoice)
    where type = 'charge' and status = 'accepted';
-- Refunds of a charge (refundable remainder).
create index operations_charge on operations (charge_id) where charge_id is not null;
-- Overview: operations per minute.
create index operations_created on operations (created_at);

-- Double-entry legs of accepted operations; a leg is a wallet or a system account (money entering or leaving the
-- platform). Per operation and currency the legs sum to zero.
create table postings (
    operation_id uuid not null references operations (id),
    account      text not null,
    wallet_id    uuid references wallets (id),
    currency     char(3) not null,
    amount       bigint not null,
    created_at   timestamptz not null
);
-- Verification folds postings per wallet.
create index postings_wallet on postings (wallet_id) where wallet_id is not null;

-- A wallet's history: one row per operation that concerns the wallet, accepted or rejected, with the direction and
-- the balance after it as seen from that wallet.
create table wallet_entries (
    wallet_id     uuid not null references wallets (id),
    operation_id  uuid not null references operations (id),
    created_at    timestamptz not null,
    type          text not null,
    status        text not null,
    direction     text not null check (direction in ('credit', 'debit')),
    amount        bigint not null,
    balance_after bigint not null,
    primary key (wallet_id, operation_id)
);
-- History newest first with keyset pagination, and balance at an instant (last entry at or before it).
create index wallet_entries_history on wallet_entries (wallet_id, created_at desc, operation_id desc);

create function refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'table % is append-only', tg_table_name using errcode = 'restrict_violation';
end;
$$;
create trigger operations_append_only before update or delete or truncate on operations
    for each statement execute function refuse_change();
create trigger postings_append_only before update or delete or truncate on postings
    for each statement execute function refuse_change();
create trigger wallet_entries_append_only before update or delete or truncate on wallet_entries
    for each statement execute function refuse_change();

-- Idempotency-Key records. The row is inserted first inside the use case's transaction, so a concurrent retry with the
-- same key blocks on the primary key until the first commits (then replays) or rolls back (then executes).
create table idempotency_keys (
    principal_id  uuid not null,
    key           text not null,
    request_hash  bytea not null,
    status        int,
    content_type  text,
    body          text,
    created_at    timestamptz not null,
    primary key (principal_id, key)
);
