-- grain: one row per entity mentioned in the recent window (7 days ending on the latest day with
-- data), compared with its daily rate over the 28 days before; score = recent / expected
create or replace view agg_trending_entities as
with bounds as (
    select max(day) as window_end from article_days
),

rates as (
    select
        d.entity_id,
        d.canonical_name,
        d.entity_type,
        sum(d.n_mentions) filter (where d.day > b.window_end - 7) as n_recent,
        coalesce(
            sum(d.n_mentions) filter (
                where d.day <= b.window_end - 7 and d.day > b.window_end - 35
            ),
            0
        ) as n_baseline
    from agg_entity_mentions_daily as d, bounds as b
    group by all
),

final as (
    select
        *,
        round(n_recent / ((n_baseline / 4.0) + 1.0), 3) as trend_score
    from rates
    where n_recent > 0
)

select * from final
