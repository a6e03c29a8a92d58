-- grain: one row per entity mentioned in the last 7 days (of $entity_type, or any when ''),
-- the $limit highest trend scores first: agg_trending_entities, computed from the 35 days it
-- reads only (grouped by id before names join)
with bounds as (
    select max(day) as window_end from article_days
),

rates as (
    select
        m.entity_id,
        count(*) filter (where d.day > b.window_end - 7) as n_recent,
        count(*) filter (where d.day <= b.window_end - 7) as n_baseline
    from mentions as m
    inner join article_days as d using (article_id)
    cross join bounds as b
    where d.day > b.window_end - 35
    group by m.entity_id
)

select
    e.canonical_name,
    e.entity_type,
    r.n_recent,
    r.n_baseline,
    round(r.n_recent / ((r.n_baseline / 4.0) + 1.0), 3) as trend_score,
    e.entity_id
from rates as r
inner join entities as e using (entity_id)
where r.n_recent > 0 and ($entity_type = '' or e.entity_type = $entity_type)
order by trend_score desc, r.n_recent desc, e.canonical_name, e.entity_id
limit $limit
