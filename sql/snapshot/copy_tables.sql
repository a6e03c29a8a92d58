-- grain: copies every published table from the live file (catalog "news") into the snapshot
-- articles and mentions are declared, not created-as, to store two columns with zstd, which
-- compresses them in about half the time of the default dictionary/FSST: article bodies
-- (also to less than half the size: 100,000 bodies, 107 -> 45 MB) and mention ids (random
-- hex, 2.4 million: 42 -> 49 MB). Readers see the same column types. The columns and their
-- order are the live tables' (tests/sql/test_snapshot_delta.py compares them); insert by
-- name fails loudly should a migration add one that is not declared here.
create table snap.main.articles (
    article_id varchar,
    url varchar,
    source_name varchar,
    source_domain varchar,
    origin_source varchar,
    title varchar,
    summary varchar,
    body varchar using compression zstd,
    authors varchar[],
    published_at timestamptz,
    ingested_at timestamptz,
    language varchar,
    word_count integer,
    content_hash varchar,
    story_id varchar,
    tone double,
    tone_positive double,
    tone_negative double,
    load_id varchar,
    interval_start timestamptz,
    input_uri varchar,
    input_record bigint,
    date_unparsed boolean,
    is_canonical boolean,
    extractor varchar
);
insert into snap.main.articles by name from news.main.articles;
create table snap.main.entities as from news.main.entities;
create table snap.main.mentions (
    mention_id varchar using compression zstd,
    article_id varchar,
    entity_id varchar,
    surface varchar,
    start_char integer,
    end_char integer,
    in_title boolean,
    sentence_index integer,
    confidence double,
    tone double,
    load_id varchar
);
insert into snap.main.mentions by name from news.main.mentions;
create table snap.main.loads as from news.main.loads;
create table snap.main.rejects as from news.main.rejects;
create table snap.main.duplicates as from news.main.duplicates;
create table snap.main.audit_results as from news.main.audit_results;
create table snap.main.schema_version as from news.main.schema_version;
create table snap.main.entity_keys as from news.main.entity_keys;
create table snap.main.source_days as from news.main.source_days;
create table snap.main.entity_days as from news.main.entity_days;
create table snap.main.entity_articles as from news.main.entity_articles;
create table snap.main.entity_pairs as from news.main.entity_pairs;
