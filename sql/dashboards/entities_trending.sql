-- grain: one row per entity mentioned in the last 7 days (of $entity_type, or any when ''),
-- the $limit highest trend scores first
select
    canonical_name,
    entity_type,
    n_recent::bigint as n_recent,
    n_baseline::bigint as n_baseline,
    trend_score,
    entity_id
from agg_trending_entities
where $entity_type = '' or entity_type = $entity_type
order by trend_score desc, n_recent desc, canonical_name
limit $limit
