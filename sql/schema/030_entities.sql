-- grain: one row per real-world entity (canonical name + type)
create table if not exists entities (
    entity_id varchar not null,
    canonical_name varchar not null,
    entity_type varchar not null,
    aliases varchar[],
    geonames_id bigint,
    country_code varchar,
    latitude double,
    longitude double,
    first_seen timestamptz,
    last_seen timestamptz
);

-- grain: one row per entity mention in an article's title or body
create table if not exists mentions (
    mention_id varchar not null,
    article_id varchar not null,
    entity_id varchar not null,
    surface varchar not null,
    start_char integer not null,
    end_char integer not null,
    in_title boolean not null,
    sentence_index integer,
    confidence double,
    tone double,            -- VADER-lexicon tone of the sentence holding the mention, -1..1
    load_id varchar not null
);
