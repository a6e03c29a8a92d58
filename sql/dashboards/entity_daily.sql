-- grain: one row per day $entity_id was mentioned in [$start, $end]: articles (every copy)
-- and unique stories (syndicated copies once)
select day, n_articles, n_stories
from agg_entity_stories_daily
where entity_id = $entity_id and day between $start and $end
order by day
