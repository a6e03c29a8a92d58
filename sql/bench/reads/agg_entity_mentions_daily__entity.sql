-- grain: one row per day the entity $entity_id was mentioned
select *
from agg_entity_mentions_daily
where entity_id = $entity_id
order by day
