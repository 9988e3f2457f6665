-- Holds (docs/wallet.md "Holds"): money reserved on a customer's wallet, captured later in one or more parts, voided,
-- or released when it expires. The reservation is postings like any movement: the wallet's own leg moves to its
-- sub-account in system:holds (postings.account = 'system:holds', wallet_id = the customer's wallet), so the wallet's
-- balance (the fold of all its legs) still counts the held money, and held is the fold of its holds legs.

-- What the wallet has reserved; available = balance - held can never be negative, whatever the code does.
alter table wallets add column held bigint not null default 0;
alter table wallets add constraint wallets_held_within_balance check (held >= 0 and held <= balance);

-- The history keeps held after each operation as it keeps the balance, for balance?at= and statements.
alter table wallet_entries add column held_after bigint not null default 0;

alter table operations drop constraint operations_type_check;
alter table operations add constraint operations_type_check
    check (type in ('deposit', 'withdrawal', 'charge', 'refund', 'hold', 'capture', 'hold_void', 'hold_expired'));

-- One row per accepted hold; its id is the id of the hold operation. A projection of its operations (like a
-- wallet's balance), updated in the same transaction as each of them.
create table holds (
    id                 uuid primary key references operations (id),
    business_id        uuid not null,
    wallet_id          uuid not null references wallets (id),
    business_wallet_id uuid not null references wallets (id),
    status             text not null check (status in ('pending', 'captured', 'voided', 'expired')),
    amount             bigint not null check (amount > 0),
    captured           bigint not null default 0,
    currency           char(3) not null,
    invoice            text not null,
    description        text,
    created_at         timestamptz not null,
    expires_at         timestamptz not null,
    updated_at         timestamptz not null,
    check (captured >= 0 and captured <= amount),
    -- Only a pending hold may have nothing captured yet and still be open; a captured one took something.
    check (status <> 'captured' or captured > 0)
);
-- GET /api/v1/holds: a business's holds newest first (status filtered on the way).
create index holds_business on holds (business_id, created_at desc, id desc);
-- GET /api/v1/holds?wallet_token= and the console's wallet page.
create index holds_wallet on holds (wallet_id, created_at desc, id desc);
-- The sweeper's due holds, and the overview's pending count and amount held.
create index holds_due on holds (expires_at) where status = 'pending';

-- Captures, voids and expiries point at their hold.
alter table operations add column hold_id uuid references holds (id);
create index operations_hold on operations (hold_id) where hold_id is not null;

-- An invoice is used once per business across accepted charges and holds.
create unique index operations_accepted_invoice_v2 on operations (business_id, invoice)
    where type in ('charge', 'hold') and status = 'accepted';
drop index operations_accepted_invoice;
alter index operations_accepted_invoice_v2 rename to operations_accepted_invoice;
