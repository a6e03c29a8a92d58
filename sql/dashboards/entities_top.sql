-- grain: one row per entity mentioned in [$start, $end] (of $entity_type, or any type when
-- it is ''), ranked by mentions within its type; the top $limit of each type
-- (entity_days of the window, summed by integer key before names join: the sums of
-- agg_entity_mentions_daily over the window)
with counted as (
    select
        entity_key,
        sum(n_mentions)::bigint as n_mentions,
        sum(n_articles)::bigint as n_articles
    from entity_days
    where day between $start and $end
    group by entity_key
),

ranked as (
    select
        e.entity_type,
        row_number() over (
            partition by e.entity_type
            order by c.n_mentions desc, c.n_articles desc, e.canonical_name
        ) as rank,
        e.canonical_name,
        c.n_mentions,
        c.n_articles,
        e.entity_id
    from counted as c
    inner join entity_keys as k using (entity_key)
    inner join entities as e using (entity_id)
    where $entity_type = '' or e.entity_type = $entity_type
)

select *
from ranked
where rank <= $limit
order by entity_type, rank
