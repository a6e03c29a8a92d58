-- grain: one row per entity mentioned by this run's new articles. Reads the registered
-- relation linked_entities (one row per entity, from every batch's name votes); first and
-- last seen come from the mentions staged by all batches.
insert into staging.entities by name
with spans as (
    select m.entity_id, coalesce(a.published_at, a.interval_start) as seen_at
    from staging.mentions as m
    inner join staging.articles as a using (article_id)
),

seen as (
    select entity_id, min(seen_at) as first_seen, max(seen_at) as last_seen
    from spans
    group by entity_id
)

select
    e.entity_id,
    e.canonical_name,
    e.entity_type,
    e.aliases,
    e.geonames_id,
    e.country_code,
    e.latitude,
    e.longitude,
    s.first_seen,
    s.last_seen
from linked_entities as e
inner join seen as s using (entity_id)
