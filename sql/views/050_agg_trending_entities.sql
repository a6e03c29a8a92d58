-- grain: one row per entity mentioned in the recent window (7 days ending on the latest day with
-- data), compared with its daily rate over the 28 days before; score = recent / expected
-- (entity_days of those 35 days only, summed by integer key before the names join)
create or replace view agg_trending_entities as
with bounds as (
    select max(day) as window_end from source_days
),

rates as (
    select
        d.entity_key,
        sum(d.n_mentions) filter (where d.day > b.window_end - 7) as n_recent,
        coalesce(sum(d.n_mentions) filter (where d.day <= b.window_end - 7), 0) as n_baseline
    from entity_days as d, bounds as b
    where d.day > b.window_end - 35
    group by d.entity_key
),

named as (
    select k.entity_key, e.entity_id, e.canonical_name, e.entity_type
    from entity_keys as k
    inner join entities as e using (entity_id)
),

final as (
    select
        n.entity_id,
        n.canonical_name,
        n.entity_type,
        r.n_recent,
        r.n_baseline,
        round(r.n_recent / ((r.n_baseline / 4.0) + 1.0), 3) as trend_score
    from rates as r
    inner join named as n using (entity_key)
    where r.n_recent > 0
)

select * from final
