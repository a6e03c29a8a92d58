-- grain: one row per mention staged by this run, with the length of the text its offsets index
select
    m.mention_id,
    m.article_id,
    m.entity_id,
    m.start_char,
    m.end_char,
    m.sentence_index,
    m.confidence,
    m.tone,
    length(case when m.in_title then a.title else a.body end) as text_length
from staging.mentions as m
left join staging.articles as a using (article_id)
