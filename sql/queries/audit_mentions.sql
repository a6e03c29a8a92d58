-- grain: one row per mention staged by this run, with the length of the text its offsets
-- index (audit input, row-wise expectations)
-- Only the columns expectations/mentions.json reads (flows/quality.py::needed_columns);
-- ids only checked for nulls arrive as presence flags (1.0, or null when missing). Text
-- lengths are taken once per article, so no title or body travels through the join (one
-- length per article_id, the shortest, should a broken run stage an id twice: the offsets
-- must fit every text staged under it); integers are widened to bigint, which GX compares
-- vectorized.
with mentions as (
    select * from staging.mentions
),

text_lengths as (
    select article_id, min(length(title)) as title_length, min(length(body)) as body_length
    from staging.articles
    group by article_id
),

final as (
    select
        case when m.mention_id is not null then 1.0::double end as mention_id,
        case when m.article_id is not null then 1.0::double end as article_id,
        case when m.entity_id is not null then 1.0::double end as entity_id,
        m.start_char::bigint as start_char,
        m.end_char::bigint as end_char,
        (case when m.in_title then t.title_length else t.body_length end)::bigint
            as text_length,
        m.sentence_index::bigint as sentence_index,
        m.confidence,
        m.tone
    from mentions as m
    left join text_lengths as t using (article_id)
)

select * from final
