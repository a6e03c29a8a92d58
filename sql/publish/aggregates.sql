-- grain: the aggregate tables (schema/110_aggregates.sql) gain this run's articles and their
-- mentions, so the cost follows the run. Runs first in the publish order: the run's new
-- articles are the staged ones not in main.articles yet (publish/articles.sql appends exactly
-- those) and its mentions are theirs (the entity step reads new articles only).
-- article_no and entity_rank are integer stand-ins for the 32-character ids inside the
-- run's grouping and the pair self-join (entity_rank follows entity_id's order, so pairs keep
-- their orientation): the same result, hashed and compared as integers. The run's mentions are
-- grouped once, by article and entity (new_article_entities); entity_days, entity_articles
-- and entity_pairs are sums over those groups, which are about half as many rows.

create or replace temp table new_articles as
select
    s.article_id,
    s.load_id,
    cast(coalesce(s.published_at, s.interval_start) at time zone 'UTC' as date) as day,
    coalesce(s.story_id, s.article_id) as story_id,
    s.source_name,
    s.language,
    s.tone,
    row_number() over () as article_no
from staging.articles as s
anti join main.articles as a on a.article_id = s.article_id;

-- entities mentioned for the first time get the next keys
insert into main.entity_keys
select
    entity_id,
    (select coalesce(max(entity_key), 0) from main.entity_keys)
    + row_number() over (order by entity_id) as entity_key
from (
    select distinct m.entity_id
    from staging.mentions as m
    semi join new_articles as n using (article_id)
) as mentioned
anti join main.entity_keys as k using (entity_id);

-- one row per new article and entity it mentions: the mentions' count and tone sums
create or replace temp table new_article_entities as
select
    n.article_no,
    k.entity_key,
    count(*) as n_mentions,
    sum(m.tone) as sentence_tone_sum,
    count(m.tone) as n_sentence_tones
from staging.mentions as m
inner join new_articles as n using (article_id)
inner join main.entity_keys as k using (entity_id)
group by n.article_no, k.entity_key;

insert into main.source_days
select load_id, day, source_name, language, count(*) as n_articles
from new_articles
group by all;

insert into main.entity_days
select
    n.load_id,
    n.day,
    e.entity_key,
    sum(e.n_mentions) as n_mentions,
    count(*) as n_articles,
    sum(e.sentence_tone_sum) as sentence_tone_sum,
    sum(e.n_sentence_tones) as n_sentence_tones,
    -- the article's tone once per mention, as in the table's definition
    sum(e.n_mentions * n.tone) as article_tone_sum,
    sum(if(n.tone is null, 0, e.n_mentions)) as n_article_tones
from new_article_entities as e
inner join new_articles as n using (article_no)
group by n.load_id, n.day, e.entity_key;

-- published stories the run renames (publish/story_moves.sql renames them in articles)
update main.entity_articles as t
set story_id = m.new_story_id
from staging.story_moves as m
where t.story_id = m.old_story_id;

insert into main.entity_articles
select n.load_id, n.day, e.entity_key, n.article_id, n.story_id
from new_article_entities as e
inner join new_articles as n using (article_no);

merge into main.entity_pairs as p
using (
    with entity_order as (
        select k.entity_key, row_number() over (order by k.entity_id) as entity_rank
        from (select distinct entity_key from new_article_entities) as mentioned
        inner join main.entity_keys as k using (entity_key)
    ),

    ranked as (
        select article_no, entity_key, entity_rank
        from new_article_entities inner join entity_order using (entity_key)
    )

    select x.entity_key as entity_key_a, y.entity_key as entity_key_b, count(*) as n_articles
    from ranked as x
    inner join ranked as y
        on x.article_no = y.article_no and x.entity_rank < y.entity_rank
    group by x.entity_key, y.entity_key
) as d
on p.entity_key_a = d.entity_key_a and p.entity_key_b = d.entity_key_b
when matched then update set n_articles = p.n_articles + d.n_articles
when not matched then insert (entity_key_a, entity_key_b, n_articles)
values (d.entity_key_a, d.entity_key_b, d.n_articles);

drop table new_article_entities;
drop table new_articles;
