-- grain: one row per mention in the article $article_id, in text order (title first)
select
    m.in_title,
    m.start_char,
    m.end_char,
    m.surface,
    m.entity_id,
    e.canonical_name,
    e.entity_type,
    m.confidence
from mentions as m
inner join entities as e using (entity_id)
where m.article_id = $article_id
order by m.in_title desc, m.start_char, m.end_char
