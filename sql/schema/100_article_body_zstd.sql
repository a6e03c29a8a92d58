-- grain: one row per article_id, as before: main.articles rebuilt with the same columns, its
-- body stored with zstd. Bodies are most of the bytes a publish compresses; zstd does it in
-- about half the time of the default dictionary/FSST, to under half the size (100,000
-- synthetic bodies: 3.0 -> 1.7 s of CPU in the publish commit, 107 -> 45 MB). Column types
-- and order are unchanged (staging.articles and publish's select * still line up); a
-- warehouse migrating from an earlier version rewrites its articles once.
create table articles_rebuilt (
    article_id varchar not null,
    url varchar,
    source_name varchar,
    source_domain varchar,
    origin_source varchar,
    title varchar not null,
    summary varchar,
    body varchar not null using compression zstd,
    authors varchar[],
    published_at timestamptz,
    ingested_at timestamptz not null,
    language varchar,
    word_count integer,
    content_hash varchar not null,
    story_id varchar,
    tone double,            -- VADER-lexicon compound score of title + body, -1..1
    tone_positive double,   -- share of words with positive valence, 0..1
    tone_negative double,   -- share of words with negative valence, 0..1
    load_id varchar not null,
    interval_start timestamptz not null,
    input_uri varchar not null,
    input_record bigint,
    date_unparsed boolean,
    is_canonical boolean default true,
    extractor varchar
);
insert into articles_rebuilt by name select * from articles;
drop table articles;
alter table articles_rebuilt rename to articles;
