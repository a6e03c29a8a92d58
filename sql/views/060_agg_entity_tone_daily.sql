-- grain: one row per entity per day: the average tone of the sentences that mention it
-- (and of the articles that mention it), from the VADER lexicon, -1..1
-- (entity_days' sums and counts, by integer key before the names join)
create or replace view agg_entity_tone_daily as
with daily as (
    select
        entity_key,
        day,
        sum(n_mentions)::bigint as n_mentions,
        sum(n_articles)::bigint as n_articles,
        round(sum(sentence_tone_sum) / sum(n_sentence_tones), 4) as avg_sentence_tone,
        round(sum(article_tone_sum) / sum(n_article_tones), 4) as avg_article_tone
    from entity_days
    group by entity_key, day
),

named as (
    select k.entity_key, e.entity_id, e.canonical_name, e.entity_type
    from entity_keys as k
    inner join entities as e using (entity_id)
),

final as (
    select
        n.entity_id,
        n.canonical_name,
        n.entity_type,
        d.day,
        d.n_mentions,
        d.n_articles,
        d.avg_sentence_tone,
        d.avg_article_tone
    from daily as d
    inner join named as n using (entity_key)
)

select * from final
