-- grain: one row per source for days in [$start, $end], the busiest $limit first
select
    source_name,
    sum(n_articles)::bigint as n_articles,
    min(day) as first_day,
    max(day) as last_day
from agg_source_articles_daily
where day between $start and $end
group by source_name
order by n_articles desc, source_name
limit $limit
