-- grain: one row per day of the week ending $end: articles that count for it
select day, count(*) as n_articles
from article_days
where day between $week_start and $end
group by day
order by day
