-- grain: one row per window (7 or 30 days, ending on the latest day with data) per entity type
-- per entity, ranked by mentions within its type
-- (entity_days of the window only, summed by integer key before the names join)
create or replace view agg_top_entities as
with windows as (
    select unnest([7, 30]) as window_days, max(day) as window_end from source_days
),

counted as (
    select
        w.window_days,
        w.window_end,
        d.entity_key,
        sum(d.n_mentions) as n_mentions,
        sum(d.n_articles) as n_articles
    from entity_days as d
    inner join windows as w
        on d.day > w.window_end - w.window_days and d.day <= w.window_end
    group by w.window_days, w.window_end, d.entity_key
),

named as (
    select k.entity_key, e.entity_id, e.canonical_name, e.entity_type
    from entity_keys as k
    inner join entities as e using (entity_id)
),

final as (
    select
        c.window_days,
        c.window_end,
        n.entity_id,
        n.canonical_name,
        n.entity_type,
        c.n_mentions,
        c.n_articles,
        row_number() over (
            partition by c.window_days, n.entity_type
            order by c.n_mentions desc, c.n_articles desc, n.canonical_name
        ) as rank
    from counted as c
    inner join named as n using (entity_key)
)

select * from final
