-- grain: one row per expectation evaluated by the run $load_id ('' = the latest audited run),
-- failures first
with chosen as (
    select coalesce(
        nullif($load_id, ''),
        (
            select r.load_id
            from audit_results as r
            inner join loads as l using (load_id)
            order by l.started_at desc, r.load_id desc
            limit 1
        )
    ) as load_id
)

select
    r.load_id,
    r.suite,
    r.expectation,
    r.column_name,
    r.success,
    r.unexpected_count,
    r.details
from audit_results as r
inner join chosen as c using (load_id)
order by r.success, r.suite, r.expectation, r.column_name
