-- grain: one row per reject staged by this run (audit input)
select * from staging.rejects
