-- grain: one row per data table: row count and an order-independent hash of its rows.
-- Run-specific columns (load ids, wall-clock stamps) are left out, so two warehouses built
-- from the same inputs with the same logical dates have equal fingerprints.
-- mentions.confidence has a row of its own: it comes from float32 sums whose last digits
-- depend on how many documents the model tagged together, so warehouses whose entity step
-- cut its batches differently agree on everything else exactly and on it within 1e-5.
select 'articles' as table_name, count(*) as n_rows, coalesce(sum(hash(t)), 0)::hugeint as row_hash
from (select * exclude (load_id, ingested_at) from articles) as t
union all
select 'entities', count(*), coalesce(sum(hash(t)), 0)::hugeint
from (select * from entities) as t
union all
select 'mentions', count(*), coalesce(sum(hash(t)), 0)::hugeint
from (select * exclude (load_id, confidence) from mentions) as t
union all
select 'mention_confidence', count(*), coalesce(sum(hash(mention_id, confidence)), 0)::hugeint
from mentions
union all
select 'rejects', count(*), coalesce(sum(hash(t)), 0)::hugeint
from (select * exclude (load_id) from rejects) as t
union all
select 'duplicates', count(*), coalesce(sum(hash(t)), 0)::hugeint
from (select * exclude (load_id) from duplicates) as t
