-- grain: one row per day an entity named $name was mentioned (by name, as users ask)
select *
from agg_entity_mentions_daily
where canonical_name = $name
order by day
