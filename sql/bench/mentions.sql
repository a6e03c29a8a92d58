-- grain: one row per synthetic mention of the articles of bench/articles.sql (benchmarks only),
-- staged like a run's mentions: 15-35 per article (25 on average) of 10-18 entities, drawn
-- with Zipf-like popularity (p(rank) ~ 1 / (rank + 10) over $entities); syndicated copies
-- mention the same entities as their original
insert into staging.mentions by name
with numbered as (
    select
        t.i as article_no,
        case when t.i % 10 in (1, 2) then t.i - t.i % 10 else t.i end as story_no,
        $first_day + ((t.i - $first_article) * $days) // $articles as day_no
    from range($first_article, $first_article + $articles) as t(i)
),

slots as (
    select
        a.article_no,
        u.k,
        u.k % (10 + hash('entities', a.story_no) % 9) as slot,
        a.story_no,
        a.day_no
    from numbered as a, range(35) as u(k)
    where u.k < 15 + hash('mentions', a.article_no) % 21
),

drawn as (
    select
        article_no,
        k,
        day_no,
        floor(
            11 * pow(
                ($entities + 11) / 11, (hash(story_no, slot) % 1000000007)::double / 1000000007
            )
            - 10
        )::bigint as entity_rank,
        (hash('tone', article_no, k) >> 11)::double / 9007199254740992 as u
    from slots
),

final as (
    select
        md5('mention:' || article_no || ':' || k) as mention_id,
        md5('article:' || article_no) as article_id,
        md5('entity:' || entity_rank) as entity_id,
        'Entity' as surface,
        k * 20 as start_char,
        k * 20 + 6 as end_char,
        k < 2 as in_title,
        k // 2 as sentence_index,
        0.9 as confidence,
        case when u >= 0.05 then 2 * u - 1 end as tone,
        strftime(
            ($start::timestamptz at time zone 'UTC') + to_days(day_no::int) + interval 25 hour,
            '%Y%m%dT%H%M%S'
        ) || '-' || left(md5('load:' || day_no), 6) as load_id
    from drawn
)

select * from final
