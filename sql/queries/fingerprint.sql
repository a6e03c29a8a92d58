-- grain: one row per data table: row count and an order-independent hash of its rows.
-- Run-specific columns (load ids, wall-clock stamps) are left out, so two warehouses built
-- from the same inputs with the same logical dates have equal fingerprints.
select 'articles' as table_name, count(*) as n_rows, coalesce(sum(hash(t)), 0)::hugeint as row_hash
from (select * exclude (load_id, ingested_at) from articles) as t
union all
select 'entities', count(*), coalesce(sum(hash(t)), 0)::hugeint
from (select * from entities) as t
union all
select 'mentions', count(*), coalesce(sum(hash(t)), 0)::hugeint
from (select * exclude (load_id) from mentions) as t
union all
select 'rejects', count(*), coalesce(sum(hash(t)), 0)::hugeint
from (select * exclude (load_id) from rejects) as t
union all
select 'duplicates', count(*), coalesce(sum(hash(t)), 0)::hugeint
from (select * exclude (load_id) from duplicates) as t
