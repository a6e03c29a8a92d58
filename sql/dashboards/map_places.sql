-- grain: one row per linked place (an entity with coordinates) mentioned in [$start, $end],
-- the $limit most mentioned first
-- (entity_days of the window, summed by integer key before names join)
with places as (
    select k.entity_key, e.*
    from entities as e
    inner join entity_keys as k using (entity_id)
    where e.latitude is not null and e.longitude is not null
),

counted as (
    select
        d.entity_key,
        sum(d.n_mentions)::bigint as n_mentions,
        sum(d.n_articles)::bigint as n_articles
    from entity_days as d
    semi join places as p using (entity_key)
    where d.day between $start and $end
    group by d.entity_key
)

select
    p.canonical_name,
    p.entity_type,
    p.country_code,
    p.latitude,
    p.longitude,
    c.n_mentions,
    c.n_articles,
    p.entity_id
from counted as c
inner join places as p using (entity_key)
order by c.n_mentions desc, p.canonical_name, p.entity_id
limit $limit
