-- grain: one row per (article, LSH band) of an article's MinHash signature
-- (flows/core/stories.py); articles with very short bodies have none. Two articles sharing a
-- (band, band_hash) are near-duplicate candidates: sql/stage/stories.sql joins on both.
create table if not exists article_bands (
    article_id varchar not null,
    band smallint not null,
    band_hash bigint not null
);

-- true for the article a story is named after (article_id = story_id); every article is its
-- own story until clustering says otherwise, so existing rows default to true
alter table articles add column if not exists is_canonical boolean default true;

-- Staging mirrors, declared here because 090_staging.sql (create ... as from main) ran before
-- this file in warehouses created earlier, and after it in fresh ones: both orders must end
-- with the same columns, in the same order, on both sides (publish copies with select *).
create table if not exists staging.article_bands as from main.article_bands limit 0;
create table if not exists staging.articles as from main.articles limit 0;
alter table staging.articles add column if not exists is_canonical boolean default true;
-- create-as copies no defaults; rows staged by sql/stage/articles.sql omit the column
alter table staging.articles alter column is_canonical set default true;

-- published stories a run renames: an earlier copy arrived, or a copy joined two stories
create table if not exists staging.story_moves (
    old_story_id varchar not null,
    new_story_id varchar not null
);
