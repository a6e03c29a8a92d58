-- grain: one row per window (7 or 30 days, ending on the latest day with data) per entity type
-- per entity, ranked by mentions within its type
create or replace view agg_top_entities as
with windows as (
    select unnest([7, 30]) as window_days, max(day) as window_end from article_days
),

counted as (
    select
        w.window_days,
        w.window_end,
        d.entity_id,
        d.canonical_name,
        d.entity_type,
        sum(d.n_mentions) as n_mentions,
        sum(d.n_articles) as n_articles
    from agg_entity_mentions_daily as d
    inner join windows as w
        on d.day > w.window_end - w.window_days and d.day <= w.window_end
    group by all
),

final as (
    select
        *,
        row_number() over (
            partition by window_days, entity_type
            order by n_mentions desc, n_articles desc, canonical_name
        ) as rank
    from counted
)

select * from final
