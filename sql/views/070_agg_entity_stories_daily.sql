-- grain: one row per entity per day it was mentioned: reach (every copy of a story counts,
-- n_articles) next to distinct stories (syndicated and near-duplicate copies count once)
-- (entity_story_days over loads and stories, by integer key before the names join)
create or replace view agg_entity_stories_daily as
with daily as (
    select
        entity_key,
        day,
        sum(n_articles)::bigint as n_articles,
        count(distinct story_id) as n_stories
    from entity_story_days
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
