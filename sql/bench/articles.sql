-- grain: one row per synthetic article number in [$first_article, $first_article + $articles)
-- (benchmarks only), staged like a run's new articles: $days days from day $first_day, in
-- article order; articles ending in 1 or 2 are syndicated copies of the one ending in 0
insert into staging.articles by name
with numbered as (
    select
        t.i as article_no,
        $first_day + ((t.i - $first_article) * $days) // $articles as day_no,
        case when t.i % 10 in (1, 2) then t.i - t.i % 10 else t.i end as story_no,
        (hash('article', t.i) % 1000000)::double / 1000000 as u,
        (hash('tone', t.i) >> 11)::double / 9007199254740992 as tone_u
    from range($first_article, $first_article + $articles) as t(i)
),

final as (
    select
        md5('article:' || article_no) as article_id,
        'https://news.example/' || article_no as url,
        ['Wire', 'Coast Daily', 'Metro Post', 'Evening Star', 'Daily Ledger', 'Harbor Times',
         'Valley News', 'City Herald', 'The Courier', 'North Gazette', 'Capital Report',
         'Morning Bell'][1 + floor(12 * u * u)::int] as source_name,
        'Story ' || article_no || ' about topic ' || (article_no % 997) as title,
        'Officials said the plan would be reviewed next week. ' || article_no as summary,
        repeat('Officials said the plan would be reviewed next week. ', 40) as body,
        ['Reporter ' || (article_no % 500)] as authors,
        case
            when article_no % 50 <> 7
                then $start::timestamptz + to_days(day_no::int) + to_minutes((u * 1439)::int)
        end as published_at,
        $start::timestamptz + to_days(day_no::int) + interval 26 hour as ingested_at,
        ['en', 'en', 'en', 'en', 'fr', 'de', 'es', null][1 + article_no % 8] as language,
        360 as word_count,
        md5('content:' || article_no) as content_hash,
        md5('article:' || story_no) as story_id,
        story_no = article_no as is_canonical,
        2 * tone_u - 1 as tone,
        tone_u / 3 as tone_positive,
        (1 - tone_u) / 3 as tone_negative,
        strftime(
            ($start::timestamptz at time zone 'UTC') + to_days(day_no::int) + interval 25 hour,
            '%Y%m%dT%H%M%S'
        ) || '-' || left(md5('load:' || day_no), 6) as load_id,
        $start::timestamptz + to_days(day_no::int) as interval_start,
        '/in/' || day_no || '/' || article_no || '.txt' as input_uri,
        1 as input_record,
        false as date_unparsed,
        'text' as extractor
    from numbered
)

select * from final
