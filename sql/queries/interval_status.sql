-- grain: one row per logical day (UTC) between $first_day and $last_day that has runs: the
-- latest run's status, how many runs, and what the published runs loaded
select
    (logical_date at time zone 'UTC')::date as day,
    arg_max(status, started_at) as last_status,
    count(*) as n_runs,
    coalesce(sum(n_loaded) filter (where status = 'published'), 0) as n_loaded
from loads
where (logical_date at time zone 'UTC')::date between $first_day and $last_day
group by day
order by day
