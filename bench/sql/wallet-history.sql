-- Seeds a large wallet history straight into the ledger tables, for the wallet-history benchmark: building ten
-- million operations through the HTTP API would take hours on two cores. The rows are the ones the API writes
-- (operation, double-entry postings, the wallet's history entry, the balance projection), so ledger verification
-- still finds the books balanced afterwards.
--
--   psql -h 127.0.0.1 -p <embedded port> -U postgres -v token=wal_… -v hot=1000000 -v filler=9000000 \
--        -v filler_wallets=10000 -f bench/sql/wallet-history.sql
--
-- :token      the wallet that gets :hot operations (create it through the API first, so its owner has a key)
-- :hot        operations of that wallet: deposits, withdrawals (every 10th) and rejected withdrawals (every 100th)
-- :filler     further accepted deposits spread over :filler_wallets synthetic customer wallets
\set ON_ERROR_STOP on
\timing on

begin;
set local synchronous_commit = off;  -- seeding only; the benchmark itself reads

create temporary table hot_ops on commit drop as
with target as (select id, currency from wallets where token = :'token'),
steps as (
    select i,
           case when i % 100 = 50 then 'withdrawal' when i % 10 = 0 then 'withdrawal' else 'deposit' end as type,
           case when i % 100 = 50 then 'rejected' else 'accepted' end as status,
           case when i % 100 = 50 then 100000000000 when i % 10 = 0 then 500 else 1000 end as amount,
           now() - interval '365 days' + (interval '365 days' / :hot) * i as created_at
      from generate_series(1, :hot) as i
)
select gen_random_uuid() as id, s.*, t.id as wallet_id, t.currency,
       sum(case when s.status = 'rejected' then 0 when s.type = 'deposit' then s.amount else -s.amount end)
           over (order by s.i) as balance_after
  from steps s cross join target t;

insert into operations (id, type, status, reason, amount, currency, debit_wallet_id, credit_wallet_id, created_at)
select id, type, status, case when status = 'rejected' then 'insufficient_funds' end, amount, currency,
       case when type = 'withdrawal' then wallet_id end, case when type = 'deposit' then wallet_id end, created_at
  from hot_ops;

insert into postings (operation_id, account, wallet_id, currency, amount, created_at)
select id, 'wallet', wallet_id, currency, case when type = 'deposit' then amount else -amount end, created_at
  from hot_ops where status = 'accepted'
union all
select id, case when type = 'deposit' then 'system:deposits' else 'system:withdrawals' end, null, currency,
       case when type = 'deposit' then -amount else amount end, created_at
  from hot_ops where status = 'accepted';

insert into wallet_entries (wallet_id, operation_id, created_at, type, status, direction, amount, balance_after)
select wallet_id, id, created_at, type, status, case when type = 'deposit' then 'credit' else 'debit' end, amount,
       balance_after
  from hot_ops;

update wallets w set balance = w.balance + h.balance_after, updated_at = now()
  from (select wallet_id, balance_after from hot_ops order by i desc limit 1) h
 where w.id = h.wallet_id;

create temporary table filler_wallets on commit drop as
select gen_random_uuid() as id, 'wal_bench' || lpad(n::text, 20, '0') as token
  from generate_series(1, :filler_wallets) as n;
insert into wallets (id, token, owner_type, owner_id, currency, balance, created_at, updated_at)
select id, token, 'customer', gen_random_uuid(), 'EUR', 0, now() - interval '366 days', now() from filler_wallets;

create temporary table filler_ops on commit drop as
with numbered as (select id, row_number() over () - 1 as n from filler_wallets)
select gen_random_uuid() as id, f.id as wallet_id, 1000::bigint as amount,
       now() - interval '365 days' + (interval '365 days' / :filler) * i as created_at,
       1000::bigint * row_number() over (partition by f.id order by i) as balance_after
  from generate_series(1, :filler) as i
  join numbered f on f.n = i % :filler_wallets;

insert into operations (id, type, status, amount, currency, credit_wallet_id, created_at)
select id, 'deposit', 'accepted', amount, 'EUR', wallet_id, created_at from filler_ops;
insert into postings (operation_id, account, wallet_id, currency, amount, created_at)
select id, 'wallet', wallet_id, 'EUR', amount, created_at from filler_ops
union all
select id, 'system:deposits', null, 'EUR', -amount, created_at from filler_ops;
insert into wallet_entries (wallet_id, operation_id, created_at, type, status, direction, amount, balance_after)
select wallet_id, id, created_at, 'deposit', 'accepted', 'credit', amount, balance_after from filler_ops;
update wallets w set balance = s.total
  from (select wallet_id, sum(amount) as total from filler_ops group by wallet_id) s
 where w.id = s.wallet_id;
commit;

analyze operations;
analyze postings;
analyze wallet_entries;
analyze wallets;
select count(*) as operations from operations;
