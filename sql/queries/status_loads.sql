-- grain: one row per recent run, newest first
select
    load_id,
    status,
    strftime(started_at at time zone 'UTC', '%Y-%m-%d %H:%M:%S') as started_utc,
    n_files,
    n_unchanged_files as unchanged,
    n_loaded as loaded,
    n_duplicates as duplicates,
    n_rejected as rejected,
    n_mentions as mentions,
    published_version as version,
    coalesce(audit_summary, message) as audit
from loads
order by started_at desc
limit $limit
