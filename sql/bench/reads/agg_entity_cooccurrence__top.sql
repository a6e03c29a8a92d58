-- grain: one row per pair of entities among the 20 pairs sharing most articles
select *
from agg_entity_cooccurrence
order by n_articles desc, entity_id_a, entity_id_b
limit 20
