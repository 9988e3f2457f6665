-- GET /api/v1/wallets pages an owner's wallets by (created_at, id): the keyset needs the id in the index.
create index wallets_owner_keyset on wallets (owner_id, created_at, id);
drop index wallets_owner;
