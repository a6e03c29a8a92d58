-- grain: one row per entity among the 20 highest trend scores
select *
from agg_trending_entities
order by trend_score desc, n_recent desc, canonical_name, entity_id
limit 20
