-- grain: one row per source per day
-- (source_days summed over loads and languages)
create or replace view agg_source_articles_daily as
select
    coalesce(source_name, '(unknown)') as source_name,
    day,
    sum(n_articles)::bigint as n_articles
from source_days
group by all
