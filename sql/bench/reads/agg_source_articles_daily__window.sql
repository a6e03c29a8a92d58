-- grain: one row per source per day of the week ending $end
select *
from agg_source_articles_daily
where day between $week_start and $end
order by day, source_name
