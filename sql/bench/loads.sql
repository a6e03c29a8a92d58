-- grain: one published run per synthetic day in [$first_day, $first_day + $days)
-- (benchmarks only), with its audit summary
insert into main.loads by name
select
    strftime(
        ($start::timestamptz at time zone 'UTC') + to_days(d::int) + interval 25 hour,
        '%Y%m%dT%H%M%S'
    ) || '-' || left(md5('load:' || d), 6) as load_id,
    $start::timestamptz + to_days(d::int) + interval 25 hour as started_at,
    $start::timestamptz + to_days(d::int) + interval 25 hour + interval 5 minute as finished_at,
    'published' as status,
    $start::timestamptz + to_days(d::int) as logical_date,
    $articles // $days as n_loaded,
    true as audit_success,
    'all 32 expectations passed' as audit_summary,
    d + 1 as published_version
from range($first_day, $first_day + $days) as t(d)
