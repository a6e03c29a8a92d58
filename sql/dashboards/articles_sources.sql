-- grain: one row per source name, the busiest first (the choices of the source filter)
select source_name, count(*) as n_articles
from articles
where source_name is not null
group by source_name
order by n_articles desc, source_name
