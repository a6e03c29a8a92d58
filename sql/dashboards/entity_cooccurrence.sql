-- grain: one row per entity mentioned in an article with $entity_id, the $limit sharing most
-- articles first (the counts of agg_entity_cooccurrence: entity_pairs, either side)
with own as (
    select entity_key from entity_keys where entity_id = $entity_id
),

partners as (
    select p.entity_key_b as entity_key, p.n_articles
    from entity_pairs as p
    inner join own as o on p.entity_key_a = o.entity_key
    union all
    select p.entity_key_a as entity_key, p.n_articles
    from entity_pairs as p
    inner join own as o on p.entity_key_b = o.entity_key
)

select
    e.entity_id,
    e.canonical_name,
    e.entity_type,
    p.n_articles
from partners as p
inner join entity_keys as k using (entity_key)
inner join entities as e using (entity_id)
order by p.n_articles desc, e.canonical_name, e.entity_id
limit $limit
