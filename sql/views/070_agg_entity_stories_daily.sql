-- grain: one row per entity per day it was mentioned: reach (every copy of a story counts,
-- n_articles) next to distinct stories (syndicated and near-duplicate copies count once)
-- (entity_articles by integer key before the names join; stories are grouped first rather
-- than counted distinct, so a filter on the entity reaches the table scan)
create or replace view agg_entity_stories_daily as
with stories as (
    select entity_key, day, story_id, count(*) as n_articles
    from entity_articles
    group by entity_key, day, story_id
),

daily as (
    select
        entity_key,
        day,
        sum(n_articles)::bigint as n_articles,
        count(*) as n_stories
    from stories
    group by entity_key, day
),

named as (
    select k.entity_key, e.entity_id, e.canonical_name, e.entity_type
    from entity_keys as k
    inner join entities as e using (entity_id)
),

final as (
    select n.entity_id, n.canonical_name, n.entity_type, d.day, d.n_articles, d.n_stories
    from daily as d
    inner join named as n using (entity_key)
)

select * from final
