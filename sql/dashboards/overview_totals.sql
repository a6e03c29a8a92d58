-- grain: one row: the size and date span of the published warehouse
select
    (select count(*) from articles) as n_articles,
    (select count(distinct source_name) from articles) as n_sources,
    (select count(*) from entities) as n_entities,
    (select count(*) from mentions) as n_mentions,
    (select min(day) from article_days) as first_day,
    (select max(day) from article_days) as last_day
