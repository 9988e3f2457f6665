-- Transform and load count their progress in rows of their own. Both used to add to the run's row in etl_runs, which
-- extract updates with every page too: a stage's transaction held that row's lock through its commit and WAL flush,
-- so the three stages committed one after another instead of side by side. A run's counts are its etl_runs columns
-- (extract's, and whatever was counted there before this table existed) plus these rows.
create table etl_run_stage_counts (
    run_id      uuid not null references etl_runs (id) on delete cascade,
    stage       text not null check (stage in ('transform', 'load')),
    transformed integer not null default 0,
    rejected    integer not null default 0,
    loaded      integer not null default 0,
    inserted    integer not null default 0,
    updated     integer not null default 0,
    unchanged   integer not null default 0,
    primary key (run_id, stage)
);
