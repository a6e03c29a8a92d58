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

-- (Its staging tables are made by sql/stage/reset.sql, as the others are.)
