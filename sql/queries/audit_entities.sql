-- grain: one row per entity staged by this run (audit input)
select * exclude (aliases) from staging.entities
