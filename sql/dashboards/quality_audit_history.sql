-- grain: one row per expectation (suite, expectation, column) over every audited run
select
    r.suite,
    r.expectation,
    r.column_name,
    count(*) as n_runs,
    count(*) filter (where not r.success) as n_failed,
    max(l.started_at) filter (where not r.success) as last_failed_at
from audit_results as r
left join loads as l using (load_id)
group by all
order by n_failed desc, r.suite, r.expectation, r.column_name
