-- grain: one row: the article $article_id with the day it counts for
select
    a.article_id,
    a.title,
    a.summary,
    a.body,
    a.url,
    a.source_name,
    a.authors,
    a.published_at,
    d.day,
    a.language,
    a.word_count,
    a.story_id,
    a.is_canonical,
    a.tone,
    a.input_uri
from articles as a
inner join article_days as d using (article_id)
where a.article_id = $article_id
