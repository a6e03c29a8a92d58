-- grain: one row per entity per day it was mentioned: reach (every copy of a story counts,
-- n_articles) next to distinct stories (syndicated and near-duplicate copies count once)
create or replace view agg_entity_stories_daily as
with mention_days as (
    select distinct
        m.entity_id,
        m.article_id,
        coalesce(a.story_id, a.article_id) as story_id,
        d.day
    from mentions as m
    inner join articles as a using (article_id)
    inner join article_days as d using (article_id)
),

final as (
    select
        e.entity_id,
        e.canonical_name,
        e.entity_type,
        md.day,
        count(distinct md.article_id) as n_articles,
        count(distinct md.story_id) as n_stories
    from mention_days as md
    inner join entities as e using (entity_id)
    group by all
)

select * from final
