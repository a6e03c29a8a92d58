-- grain: one row per source per day
create or replace view agg_source_articles_daily as
select
    coalesce(source_name, '(unknown)') as source_name,
    day,
    count(*) as n_articles
from article_days
group by all
