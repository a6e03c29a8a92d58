-- grain: one row per earlier load of the interval a reprocessing run replaces
create or replace temp table replaced_loads as
select load_id
from main.loads
where logical_date >= $replace_from and logical_date < $replace_until and load_id <> $load_id
