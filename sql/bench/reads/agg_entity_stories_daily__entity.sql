-- grain: one row per day the entity $entity_id was mentioned: articles and unique stories
select *
from agg_entity_stories_daily
where entity_id = $entity_id
order by day
