-- grain: one row per entity per day: the average tone of the sentences that mention it
-- (and of the articles that mention it), from the VADER lexicon, -1..1
create or replace view agg_entity_tone_daily as
with scored as (
    select m.entity_id, m.article_id, m.tone as sentence_tone, a.tone as article_tone, d.day
    from mentions as m
    inner join articles as a using (article_id)
    inner join article_days as d using (article_id)
),

final as (
    select
        e.entity_id,
        e.canonical_name,
        e.entity_type,
        s.day,
        count(*) as n_mentions,
        count(distinct s.article_id) as n_articles,
        round(avg(s.sentence_tone), 4) as avg_sentence_tone,
        round(avg(s.article_tone), 4) as avg_article_tone
    from scored as s
    inner join entities as e using (entity_id)
    group by all
)

select * from final
