-- grain: one row per entity mentioned in an article with $entity_id, the $limit sharing most
-- articles first (the same counts as agg_entity_cooccurrence, computed for one entity only)
with own_articles as (
    select distinct article_id from mentions where entity_id = $entity_id
),

partners as (
    select distinct m.article_id, m.entity_id
    from mentions as m
    inner join own_articles as o using (article_id)
    where m.entity_id <> $entity_id
)

select
    e.entity_id,
    e.canonical_name,
    e.entity_type,
    count(*) as n_articles
from partners as p
inner join entities as e using (entity_id)
group by all
order by n_articles desc, e.canonical_name, e.entity_id
limit $limit
