-- grain: one row per entity per day it was mentioned
create or replace view agg_entity_mentions_daily as
with mention_days as (
    select m.entity_id, m.article_id, d.day
    from mentions as m
    inner join article_days as d using (article_id)
),

final as (
    select
        e.entity_id,
        e.canonical_name,
        e.entity_type,
        md.day,
        count(*) as n_mentions,
        count(distinct md.article_id) as n_articles
    from mention_days as md
    inner join entities as e using (entity_id)
    group by all
)

select * from final
