-- grain: one row per run, newest first, the latest $limit
select
    load_id,
    status,
    started_at,
    finished_at,
    logical_date,
    n_files,
    n_records,
    n_loaded,
    n_duplicates,
    n_rejected,
    n_mentions,
    audit_success,
    coalesce(audit_summary, message) as audit,
    published_version
from loads
order by started_at desc, load_id desc
limit $limit
