-- grain: one row per entity mentioned in the last 7 days (of $entity_type, or any when ''),
-- the $limit highest trend scores first: agg_trending_entities, computed from the 35 days it
-- reads only (entity_days, summed by integer key before names join)
with bounds as (
    select max(day) as window_end from source_days
),

rates as (
    select
        d.entity_key,
        coalesce(sum(d.n_mentions) filter (where d.day > b.window_end - 7), 0)::bigint
            as n_recent,
        coalesce(sum(d.n_mentions) filter (where d.day <= b.window_end - 7), 0)::bigint
            as n_baseline
    from entity_days as d
    cross join bounds as b
    where d.day > b.window_end - 35
    group by d.entity_key
)

select
    e.canonical_name,
    e.entity_type,
    r.n_recent,
    r.n_baseline,
    round(r.n_recent / ((r.n_baseline / 4.0) + 1.0), 3) as trend_score,
    e.entity_id
from rates as r
inner join entity_keys as k using (entity_key)
inner join entities as e using (entity_id)
where r.n_recent > 0 and ($entity_type = '' or e.entity_type = $entity_type)
order by trend_score desc, r.n_recent desc, e.canonical_name, e.entity_id
limit $limit
