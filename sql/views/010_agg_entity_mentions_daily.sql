-- grain: one row per entity per day it was mentioned
-- (entity_days summed over loads, by integer key before the names join)
create or replace view agg_entity_mentions_daily as
with daily as (
    select
        entity_key,
        day,
        sum(n_mentions)::bigint as n_mentions,
        sum(n_articles)::bigint as n_articles
    from entity_days
    group by entity_key, day
),

named as (
    select k.entity_key, e.entity_id, e.canonical_name, e.entity_type
    from entity_keys as k
    inner join entities as e using (entity_id)
),

final as (
    select n.entity_id, n.canonical_name, n.entity_type, d.day, d.n_mentions, d.n_articles
    from daily as d
    inner join named as n using (entity_key)
)

select * from final
