-- grain: one row per reject reason: how many, in how many runs, the latest run with one
select
    r.reason_code,
    count(*) as n_rejects,
    count(distinct r.load_id) as n_runs,
    max(l.started_at) as last_seen_at
from rejects as r
left join loads as l using (load_id)
group by r.reason_code
order by n_rejects desc, r.reason_code
