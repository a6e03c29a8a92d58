-- grain: one row: the entity $entity_id with its mention totals
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
    (select count(*) from mentions as m where m.entity_id = e.entity_id) as n_mentions,
    (
        select count(distinct m.article_id) from mentions as m where m.entity_id = e.entity_id
    ) as n_articles
from entities as e
where e.entity_id = $entity_id
