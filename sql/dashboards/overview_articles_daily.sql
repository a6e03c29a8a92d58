-- grain: one row per day per source (the $top_sources busiest sources in the range; the rest
-- as "(other sources)") for days in [$start, $end]
with in_range as (
    select source_name, day, n_articles
    from agg_source_articles_daily
    where day between $start and $end
),

busiest as (
    select source_name
    from in_range
    group by source_name
    order by sum(n_articles) desc, source_name
    limit $top_sources
)

select
    r.day,
    case when b.source_name is null then '(other sources)' else r.source_name end as source_name,
    sum(r.n_articles)::bigint as n_articles
from in_range as r
left join busiest as b using (source_name)
group by all
order by r.day, source_name
