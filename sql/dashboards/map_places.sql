-- grain: one row per linked place (an entity with coordinates) mentioned in [$start, $end],
-- the $limit most mentioned first
with places as (
    select entity_id from entities where latitude is not null and longitude is not null
),

counted as (
    select
        m.entity_id,
        count(*) as n_mentions,
        count(distinct m.article_id) as n_articles
    from mentions as m
    inner join places as p using (entity_id)
    inner join article_days as d using (article_id)
    where d.day between $start and $end
    group by m.entity_id
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
order by c.n_mentions desc, e.canonical_name, e.entity_id
limit $limit
