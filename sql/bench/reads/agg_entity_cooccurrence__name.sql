-- grain: one row per entity sharing an article with an entity named $name (by name), the 20
-- sharing most first
select *
from agg_entity_cooccurrence
where canonical_name_a = $name or canonical_name_b = $name
order by n_articles desc, entity_id_a, entity_id_b
limit 20
