-- grain: one row per entity sharing an article with $entity_id, the 20 sharing most first
select *
from agg_entity_cooccurrence
where entity_id_a = $entity_id or entity_id_b = $entity_id
order by n_articles desc, entity_id_a, entity_id_b
limit 20
