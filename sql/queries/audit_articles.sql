-- grain: one row per article staged by this run (audit input)
select * exclude (authors) from staging.articles
