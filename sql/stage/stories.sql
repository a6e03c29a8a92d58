-- grain: staging.article_bands gets one row per (staged article, band); every staged article's
-- story_id and is_canonical are set. Reads the registered relation new_bands
-- (article_id, band, band_hash, component) from flows/core/stories.py::story_bands, where
-- component labels the batch's connected components of "shares a band".
--
-- A component of staged articles joins every published story it shares a band with, and
-- every other component of the batch that joins one of those stories; the merged story is
-- named after its EARLIEST member, staged or published (earliest =
-- min(coalesce(published_at, interval_start), article_id)). When an earlier copy arrives
-- after later ones, the published story is renamed after it (staging.story_moves, applied at
-- publish), so the stories do not depend on the order the days were loaded in.
-- Runs after sql/stage/articles.sql (needs staging.articles), before the publish.

insert into staging.article_bands by name
select distinct b.article_id, b.band, b.band_hash
from new_bands as b
semi join staging.articles as s on s.article_id = b.article_id;

create or replace temp table component_stories as
with recursive staged as (
    select article_id, coalesce(published_at, interval_start) as seen_at
    from staging.articles
),

batch_bands as (
    select distinct b.article_id, b.band, b.band_hash, b.component
    from new_bands as b
    semi join staged as s on s.article_id = b.article_id
),

-- published articles with bands; a re-staged article_id (reprocessing) counts as staged
published_bands as (
    select pb.article_id, a.story_id, pb.band, pb.band_hash
    from main.article_bands as pb
    inner join main.articles as a on a.article_id = pb.article_id
    anti join staged as s on s.article_id = a.article_id
),

component_matches as (
    select distinct b.component, p.story_id
    from batch_bands as b
    inner join published_bands as p on p.band = b.band and p.band_hash = b.band_hash
),

-- components that share bands with one published story (each through its own band) are one
-- story too: every component reachable through component -> story -> component links
linked (component, other) as (
    select distinct component, component from batch_bands
    union
    select l.component, m2.component
    from linked as l
    inner join component_matches as m1 on m1.component = l.other
    inner join component_matches as m2 on m2.story_id = m1.story_id
),

groups as (
    select component, min(other) as grp
    from linked
    group by component
),

matched as (
    select distinct g.grp, m.story_id
    from component_matches as m
    inner join groups as g using (component)
),

members as (
    select distinct g.grp, s.article_id, s.seen_at
    from batch_bands as b
    inner join groups as g using (component)
    inner join staged as s on s.article_id = b.article_id
),

candidates as (
    select grp, article_id, seen_at from members
    union all
    select m.grp, a.article_id, coalesce(a.published_at, a.interval_start) as seen_at
    from matched as m
    inner join main.articles as a on a.story_id = m.story_id
    anti join staged as s on s.article_id = a.article_id
),

final as (
    select grp, first(article_id order by seen_at, article_id) as story_id
    from candidates
    group by grp
),

group_stories as (
    select
        f.grp,
        f.story_id,
        coalesce(list(m.story_id order by m.story_id) filter (m.story_id is not null), [])
            as merged
    from final as f
    left join matched as m using (grp)
    group by f.grp, f.story_id
)

select g.component, s.story_id, s.merged
from groups as g
inner join group_stories as s using (grp);

update staging.articles as s
set story_id = f.story_id, is_canonical = (f.story_id = s.article_id)
from (
    select m.article_id, c.story_id
    from (select distinct article_id, component from new_bands) as m
    inner join component_stories as c using (component)
) as f
where s.article_id = f.article_id;

delete from staging.story_moves;

insert into staging.story_moves by name
select distinct old_story_id, story_id as new_story_id
from (select story_id, unnest(merged) as old_story_id from component_stories)
where old_story_id <> story_id;
