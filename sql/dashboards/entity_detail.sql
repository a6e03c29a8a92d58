-- grain: one row: the entity $entity_id with its mention totals
-- (summed from entity_days)
with totals as (
    select
        sum(d.n_mentions)::bigint as n_mentions,
        sum(d.n_articles)::bigint as n_articles
    from entity_days as d
    inner join entity_keys as k using (entity_key)
    where k.entity_id = $entity_id
)

select
    e.entity_id,
    e.canonical_name,
    e.entity_type,
    e.aliases,
    e.country_code,
    e.latitude,
    e.longitude,
    e.first_seen,
    e.last_seen,
    coalesce(t.n_mentions, 0) as n_mentions,
    coalesce(t.n_articles, 0) as n_articles
from entities as e
cross join totals as t
where e.entity_id = $entity_id
