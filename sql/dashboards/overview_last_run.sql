-- grain: one row: the latest run (any outcome) with its audit status
select
    load_id,
    status,
    started_at,
    finished_at,
    n_loaded,
    n_duplicates,
    n_rejected,
    audit_success,
    coalesce(audit_summary, message) as audit,
    published_version
from loads
order by started_at desc, load_id desc
limit 1
