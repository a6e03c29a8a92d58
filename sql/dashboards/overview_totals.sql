-- grain: one row: the size and date span of the published warehouse
-- (sources and days from source_days, the per-load article counts)
select
    (select count(*) from articles) as n_articles,
    (select count(distinct source_name) from source_days) as n_sources,
    (select count(*) from entities) as n_entities,
    (select count(*) from mentions) as n_mentions,
    (select min(day) from source_days) as first_day,
    (select max(day) from source_days) as last_day
