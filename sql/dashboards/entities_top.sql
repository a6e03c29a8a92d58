-- grain: one row per entity mentioned in [$start, $end] (of $entity_type, or any type when
-- it is ''), ranked by mentions within its type; the top $limit of each type
with counted as (
    select
        entity_id,
        canonical_name,
        entity_type,
        sum(n_mentions)::bigint as n_mentions,
        sum(n_articles)::bigint as n_articles
    from agg_entity_mentions_daily
    where day between $start and $end and ($entity_type = '' or entity_type = $entity_type)
    group by all
),

ranked as (
    select
        *,
        row_number() over (
            partition by entity_type
            order by n_mentions desc, n_articles desc, canonical_name
        ) as rank
    from counted
)

select entity_type, rank, canonical_name, n_mentions, n_articles, entity_id
from ranked
where rank <= $limit
order by entity_type, rank
