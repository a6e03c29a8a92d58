-- grain: one row per article_id (the first copy seen; later copies go to duplicates)
create table if not exists articles (
    article_id varchar not null,
    url varchar,
    source_name varchar,
    source_domain varchar,
    origin_source varchar,
    title varchar not null,
    summary varchar,
    body varchar not null,
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
    date_unparsed boolean
);

-- grain: one row per input record that repeated an article already loaded
create table if not exists duplicates (
    load_id varchar not null,
    input_uri varchar not null,
    input_record bigint,
    article_id varchar not null,
    content_hash varchar not null,
    duplicate_of varchar not null
);

-- grain: one row per input file (path + content hash) that a published load has read
create table if not exists input_files (
    input_uri varchar not null,
    sha256 varchar not null,
    size_bytes bigint not null,
    load_id varchar not null
);
