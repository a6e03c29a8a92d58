-- grain: the aggregate tables the views and dashboard panels read instead of every mention
-- (views/*.sql), each row a sum over the articles or mentions it stands for. The day is the one
-- views/000_article_days.sql gives an article. publish/aggregates.sql adds a run's rows inside
-- the publish transaction, so their cost follows the run; reprocess/clear_replaced.sql takes
-- out the rows of the loads a reprocessing run replaces. A warehouse created before this file
-- gets the rows of what it already holds.

-- one row per entity ever mentioned: a dense integer key, given in order of first publish and
-- never changed, so the tables below join and filter on integers
create table if not exists entity_keys (
    entity_id varchar not null,
    entity_key integer not null
);

-- one row per load, day and source/language: the articles it published for that day
create table if not exists source_days (
    load_id varchar not null,
    day date not null,
    source_name varchar,
    language varchar,
    n_articles bigint not null
);

-- one row per load, day and entity: its mentions in the articles the load published for that
-- day, those articles, and the sums and counts behind the mean tones (nulls left out)
create table if not exists entity_days (
    load_id varchar not null,
    day date not null,
    entity_key integer not null,
    n_mentions bigint not null,
    n_articles bigint not null,
    sentence_tone_sum double,       -- mentions.tone
    n_sentence_tones bigint not null,
    article_tone_sum double,        -- articles.tone, once per mention
    n_article_tones bigint not null
);

-- one row per entity and article mentioning it, with the article's load, day and story
-- (coalesce(story_id, article_id); renamed with its story when a run moves it)
create table if not exists entity_articles (
    load_id varchar not null,
    day date not null,
    entity_key integer not null,
    article_id varchar not null,
    story_id varchar not null
);

-- one row per pair of entities mentioned in the same article (entity_key_a names the entity
-- whose entity_id sorts first): the number of such articles
create table if not exists entity_pairs (
    entity_key_a integer not null,
    entity_key_b integer not null,
    n_articles bigint not null
);

insert into entity_keys
select entity_id, row_number() over (order by entity_id) as entity_key
from (select distinct entity_id from mentions) as mentioned;

create temp table existing_mentions as
select
    a.load_id,
    cast(coalesce(a.published_at, a.interval_start) at time zone 'UTC' as date) as day,
    k.entity_key,
    m.entity_id,
    coalesce(a.story_id, a.article_id) as story_id,
    m.article_id,
    m.tone as sentence_tone,
    a.tone as article_tone
from mentions as m
inner join articles as a using (article_id)
inner join entity_keys as k using (entity_id);

insert into source_days
select
    load_id,
    cast(coalesce(published_at, interval_start) at time zone 'UTC' as date) as day,
    source_name,
    language,
    count(*) as n_articles
from articles
group by all;

insert into entity_days
select
    load_id,
    day,
    entity_key,
    count(*) as n_mentions,
    count(distinct article_id) as n_articles,
    sum(sentence_tone) as sentence_tone_sum,
    count(sentence_tone) as n_sentence_tones,
    sum(article_tone) as article_tone_sum,
    count(article_tone) as n_article_tones
from existing_mentions
group by load_id, day, entity_key;

insert into entity_articles
select distinct load_id, day, entity_key, article_id, story_id
from existing_mentions;

insert into entity_pairs
with article_entities as (
    select distinct article_id, entity_id, entity_key from existing_mentions
)

select x.entity_key, y.entity_key, count(*) as n_articles
from article_entities as x
inner join article_entities as y on x.article_id = y.article_id and x.entity_id < y.entity_id
group by x.entity_key, y.entity_key;

drop table existing_mentions;
