-- grain: one row per entity per day of the week ending $end, the most mentioned first
select *
from agg_entity_mentions_daily
where day between $week_start and $end
order by n_mentions desc, entity_id, day
