-- grain: one row per run (load), whatever its outcome
create table if not exists loads (
    load_id varchar not null,
    started_at timestamptz not null,
    finished_at timestamptz,
    status varchar not null,            -- running | published | no_new_data | failed_audit | failed
    logical_date timestamptz not null,  -- the run's logical time; stamps interval_start
    inputs varchar[],
    n_files integer,
    n_unchanged_files integer,
    n_records integer,
    n_loaded integer,
    n_duplicates integer,
    n_rejected integer,
    n_unparsed_dates integer,
    n_entities integer,
    n_new_entities integer,
    n_mentions integer,
    timings json,
    audit_success boolean,
    audit_summary varchar,
    published_version integer,
    message varchar
);

-- grain: one row per expectation or SQL check evaluated by a run's audit
create table if not exists audit_results (
    load_id varchar not null,
    suite varchar not null,
    expectation varchar not null,
    column_name varchar,
    success boolean not null,
    unexpected_count bigint,
    details varchar
);
