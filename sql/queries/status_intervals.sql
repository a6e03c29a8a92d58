-- grain: one row per logical day (UTC) of the most recent days that have runs
select
    (logical_date at time zone 'UTC')::date as day,
    arg_max(status, started_at) as last_status,
    count(*) as runs,
    coalesce(sum(n_loaded) filter (where status = 'published'), 0) as loaded,
    coalesce(sum(n_duplicates) filter (where status = 'published'), 0) as duplicates,
    coalesce(sum(n_rejected) filter (where status = 'published'), 0) as rejected,
    strftime(max(started_at) at time zone 'UTC', '%Y-%m-%d %H:%M:%S') as last_run_utc
from loads
group by day
order by day desc
limit $limit
