-- grain: one row per entity per day of the week ending $end, with its tone
select *
from agg_entity_tone_daily
where day between $week_start and $end
order by n_mentions desc, entity_id, day
