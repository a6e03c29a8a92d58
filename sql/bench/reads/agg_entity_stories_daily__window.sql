-- grain: one row per entity per day of the week ending $end: articles and unique stories
select *
from agg_entity_stories_daily
where day between $week_start and $end
order by n_stories desc, entity_id, day
