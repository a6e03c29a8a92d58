-- grain: one row per linked place (an entity with coordinates) mentioned in [$start, $end],
-- the $limit most mentioned first
with counted as (
    select
        entity_id,
        sum(n_mentions)::bigint as n_mentions,
        sum(n_articles)::bigint as n_articles
    from agg_entity_mentions_daily
    where day between $start and $end
    group by entity_id
)

select
    e.canonical_name,
    e.entity_type,
    e.country_code,
    e.latitude,
    e.longitude,
    c.n_mentions,
    c.n_articles,
    e.entity_id
from counted as c
inner join entities as e using (entity_id)
where e.latitude is not null and e.longitude is not null
order by c.n_mentions desc, e.canonical_name, e.entity_id
limit $limit
