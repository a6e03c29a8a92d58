-- grain: one row per article in [$start, $end] whose title contains $title (case-insensitive),
-- from $source, mentioning $entity_id (each filter is off when ''), the newest $limit first
-- (the day as views/000_article_days.sql gives it, computed in the one scan of articles; the
-- entity's articles from entity_articles rather than every mention)
with dated as (
    select
        cast(coalesce(published_at, interval_start) at time zone 'UTC' as date) as day,
        title,
        source_name,
        language,
        word_count,
        article_id,
        published_at
    from articles
)

select
    d.day,
    d.title,
    d.source_name,
    d.language,
    d.word_count,
    d.article_id
from dated as d
where
    d.day between $start and $end
    and ($title = '' or contains(lower(d.title), lower($title)))
    and ($source = '' or d.source_name = $source)
    and (
        $entity_id = ''
        or d.article_id in (
            select a.article_id
            from entity_articles as a
            inner join entity_keys as k using (entity_key)
            where k.entity_id = $entity_id
        )
    )
order by d.day desc, d.published_at desc nulls last, d.article_id
limit $limit
