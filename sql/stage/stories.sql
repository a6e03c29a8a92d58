-- grain: every staged article's story_id and is_canonical are set, and staging.story_moves
-- gets one row per published story the run renames. Runs once all of the run's batches are
-- staged, before the publish. Reads staging.article_bands (the bands of every article the
-- run staged) and the registered relation band_components (article_id, component) from
-- flows/core/stories.py::band_components over the staged bands that share a bucket
-- (queries/shared_bands.sql): the run's connected components of "shares a band", each
-- labelled by its smallest article_id. A staged article missing from it is a component of
-- its own; only components that share a band with another staged article or with a
-- published one can get another story than the article itself.
--
-- A component of staged articles joins every published story it shares a band with, and
-- every other component of the run that joins one of those stories; the merged story is
-- named after its EARLIEST member, staged or published (earliest =
-- min(coalesce(published_at, interval_start), article_id)). When an earlier copy arrives
-- after later ones, the published story is renamed after it (staging.story_moves, applied at
-- publish), so the stories do not depend on the order the days were loaded in.

-- staged articles sharing a band with a published article, and that article's story; a
-- re-staged article_id (reprocessing) counts as staged, not published
create or replace temp table published_matches as
with staged as (
    select article_id from staging.articles
),

published_bands as (
    select pb.article_id, a.story_id, pb.band, pb.band_hash
    from main.article_bands as pb
    inner join main.articles as a on a.article_id = pb.article_id
    anti join staged as s on s.article_id = a.article_id
),

final as (
    select distinct b.article_id, p.story_id
    from staging.article_bands as b
    inner join published_bands as p on p.band = b.band and p.band_hash = b.band_hash
)

select * from final;

-- every staged article that may join another story, with its component
create or replace temp table article_components as
select article_id, component from band_components
union
select m.article_id, m.article_id as component
from published_matches as m
anti join band_components as c on c.article_id = m.article_id;

create or replace temp table component_stories as
with recursive staged as (
    select article_id, coalesce(published_at, interval_start) as seen_at
    from staging.articles
),

component_matches as (
    select distinct c.component, m.story_id
    from published_matches as m
    inner join article_components as c using (article_id)
),

-- components that share bands with one published story (each through its own band) are one
-- story too: every component reachable through component -> story -> component links
linked (component, other) as (
    select distinct component, component from component_matches
    union
    select l.component, m2.component
    from linked as l
    inner join component_matches as m1 on m1.component = l.other
    inner join component_matches as m2 on m2.story_id = m1.story_id
),

linked_groups as (
    select component, min(other) as grp
    from linked
    group by component
),

groups as (
    select distinct c.component, coalesce(g.grp, c.component) as grp
    from article_components as c
    left join linked_groups as g using (component)
),

matched as (
    select distinct g.grp, m.story_id
    from component_matches as m
    inner join groups as g using (component)
),

members as (
    select g.grp, s.article_id, s.seen_at
    from article_components as c
    inner join groups as g using (component)
    inner join staged as s using (article_id)
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

-- articles start as their own story (sql/stage/articles.sql): only the others change
update staging.articles as s
set story_id = f.story_id, is_canonical = (f.story_id = s.article_id)
from (
    select c.article_id, cs.story_id
    from article_components as c
    inner join component_stories as cs using (component)
) as f
where s.article_id = f.article_id and s.story_id <> f.story_id;

delete from staging.story_moves;

insert into staging.story_moves by name
select distinct old_story_id, story_id as new_story_id
from (select story_id, unnest(merged) as old_story_id from component_stories)
where old_story_id <> story_id;
