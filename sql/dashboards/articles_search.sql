-- grain: one row per article in [$start, $end] whose title contains $title (case-insensitive),
-- from $source, mentioning $entity_id (each filter is off when ''), the newest $limit first
-- (one scan of articles: the window is the timestamp range of its UTC days, and the day is
-- computed as views/000_article_days.sql does, once per article in it; the entity's
-- articles come from entity_articles rather than every mention)
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
    where
        coalesce(published_at, interval_start) >= cast($start as timestamp) at time zone 'UTC'
        and coalesce(published_at, interval_start)
        < (cast($end as timestamp) + interval 1 day) at time zone 'UTC'
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
    ($title = '' or contains(lower(d.title), lower($title)))
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
