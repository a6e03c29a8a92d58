-- grain: one row per day the entity $entity_id was mentioned, with its tone
select *
from agg_entity_tone_daily
where entity_id = $entity_id
order by day
