-- grain: one row per article in [$start, $end] whose title contains $title (case-insensitive),
-- from $source, mentioning $entity_id (each filter is off when ''), the newest $limit first
select
    d.day,
    a.title,
    a.source_name,
    a.language,
    a.word_count,
    a.article_id
from articles as a
inner join article_days as d using (article_id)
where
    d.day between $start and $end
    and ($title = '' or contains(lower(a.title), lower($title)))
    and ($source = '' or a.source_name = $source)
    and (
        $entity_id = ''
        or a.article_id in (select article_id from mentions where entity_id = $entity_id)
    )
order by d.day desc, a.published_at desc nulls last, a.article_id
limit $limit
