-- grain: one row per entity mention in this run's new articles
insert into staging.mentions by name
select
    substr(
        sha256(
            article_id || ':' || in_title::varchar || ':' || start_char::varchar || ':'
            || end_char::varchar
        ),
        1,
        32
    ) as mention_id,
    article_id,
    entity_id,
    surface,
    start_char,
    end_char,
    in_title,
    sentence_index,
    confidence,
    tone,
    $load_id as load_id
from linked_mentions
