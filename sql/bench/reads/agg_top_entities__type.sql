-- grain: one row per entity of type $entity_type among the 10 most mentioned in 30 days
select *
from agg_top_entities
where window_days = 30 and entity_type = $entity_type and rank <= 10
order by rank
